#pragma once
// The JSON form of SchemaModel (docs/schema-json.md). Kept apart from the model so the
// model header stays plain data; used only through SchemaModel::toJson/fromJson.

#include "result.h"

#include <QJsonObject>
#include <QString>

namespace retort {

class SchemaModel;

class SchemaJson
{
public:
    // Expects a normalize()d model; writes every key except empty type_info fields.
    static QJsonObject write(const SchemaModel &model);
    // Lenient about absent optional keys, strict about types and required names.
    static Result<SchemaModel> read(const QJsonObject &object, const QString &source);
};

} // namespace retort
