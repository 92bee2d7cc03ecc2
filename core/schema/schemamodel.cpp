#include "schemamodel.h"

#include "schemajson.h"

#include <QFile>
#include <QSaveFile>
#include <algorithm>

namespace retort {

bool SchemaType::operator==(const SchemaType &o) const
{
    return typeClass == o.typeClass && affinity == o.affinity && length == o.length
           && precision == o.precision && scale == o.scale && timezone == o.timezone
           && isUnsigned == o.isUnsigned && enumValues == o.enumValues
           && enumName == o.enumName && enumSchema == o.enumSchema
           && collation == o.collation && charset == o.charset && itemType == o.itemType
           && dimensions == o.dimensions && zerofill == o.zerofill
           && displayWidth == o.displayWidth && fsp == o.fsp;
}

bool SchemaIdentity::operator==(const SchemaIdentity &o) const
{
    return always == o.always && start == o.start && increment == o.increment
           && minValue == o.minValue && maxValue == o.maxValue && cycle == o.cycle
           && cache == o.cache;
}

bool SchemaComputed::operator==(const SchemaComputed &o) const
{
    return sqltext == o.sqltext && persisted == o.persisted;
}

bool SchemaColumn::operator==(const SchemaColumn &o) const
{
    return name == o.name && type == o.type && typeInfo == o.typeInfo
           && nullable == o.nullable && serverDefault == o.serverDefault
           && autoincrement == o.autoincrement && identity == o.identity
           && computed == o.computed && comment == o.comment
           && dialectOptions == o.dialectOptions;
}

bool SchemaForeignKey::operator==(const SchemaForeignKey &o) const
{
    return name == o.name && columns == o.columns && referredSchema == o.referredSchema
           && referredTable == o.referredTable && referredColumns == o.referredColumns
           && onDelete == o.onDelete && onUpdate == o.onUpdate
           && deferrable == o.deferrable && initially == o.initially && match == o.match;
}

bool SchemaIndex::operator==(const SchemaIndex &o) const
{
    return name == o.name && unique == o.unique && columns == o.columns
           && isExpression == o.isExpression && where == o.where
           && dialectOptions == o.dialectOptions
           && duplicatesConstraint == o.duplicatesConstraint;
}

const SchemaColumn *SchemaTable::findColumn(const QString &n) const
{
    for (const SchemaColumn &c : columns)
        if (c.name == n)
            return &c;
    return nullptr;
}

// Non-const lookups iterate non-const, so a shared copy detaches before its element is
// handed out for writing (a const_cast of the const lookup would write into every copy).
SchemaColumn *SchemaTable::findColumn(const QString &n)
{
    for (SchemaColumn &c : columns)
        if (c.name == n)
            return &c;
    return nullptr;
}

bool SchemaTable::operator==(const SchemaTable &o) const
{
    return name == o.name && columns == o.columns && primaryKey == o.primaryKey
           && foreignKeys == o.foreignKeys && indexes == o.indexes
           && uniqueConstraints == o.uniqueConstraints
           && checkConstraints == o.checkConstraints && comment == o.comment
           && dialectOptions == o.dialectOptions;
}

const SchemaTable *SchemaNamespace::findTable(const QString &n) const
{
    for (const SchemaTable &t : tables)
        if (t.name == n)
            return &t;
    return nullptr;
}

SchemaTable *SchemaNamespace::findTable(const QString &n)
{
    for (SchemaTable &t : tables)
        if (t.name == n)
            return &t;
    return nullptr;
}

bool SchemaNamespace::operator==(const SchemaNamespace &o) const
{
    return name == o.name && tables == o.tables && enums == o.enums && views == o.views;
}

const SchemaNamespace *SchemaModel::findSchema(const QString &n) const
{
    for (const SchemaNamespace &s : schemas)
        if (s.name == n)
            return &s;
    return nullptr;
}

SchemaNamespace *SchemaModel::findSchema(const QString &n)
{
    for (SchemaNamespace &s : schemas)
        if (s.name == n)
            return &s;
    return nullptr;
}

SchemaNamespace &SchemaModel::schema(const QString &n)
{
    if (SchemaNamespace *s = findSchema(n))
        return *s;
    SchemaNamespace s;
    s.name = n;
    schemas.append(s);
    return schemas.last();
}

const SchemaTable *SchemaModel::findTable(const QString &schemaName, const QString &table) const
{
    const SchemaNamespace *s = findSchema(schemaName);
    return s ? s->findTable(table) : nullptr;
}

int SchemaModel::tableCount() const
{
    int n = 0;
    for (const SchemaNamespace &s : schemas)
        n += s.tables.size();
    return n;
}

namespace {

// Named items first, by name; unnamed ones after, by their column lists, so that the
// order never depends on the order a catalog happened to return rows in.
template<typename T>
void sortNamed(QVector<T> &items)
{
    std::stable_sort(items.begin(), items.end(), [](const T &a, const T &b) {
        if (a.name.isEmpty() != b.name.isEmpty())
            return !a.name.isEmpty();
        if (a.name != b.name)
            return a.name < b.name;
        return a.columns.join(QChar(0)) < b.columns.join(QChar(0));
    });
}

} // namespace

void SchemaModel::normalize()
{
    std::stable_sort(schemas.begin(), schemas.end(),
                     [](const SchemaNamespace &a, const SchemaNamespace &b) {
                         if (a.name.isEmpty() != b.name.isEmpty())
                             return a.name.isEmpty();
                         return a.name < b.name;
                     });
    for (SchemaNamespace &s : schemas) {
        std::stable_sort(s.tables.begin(), s.tables.end(),
                         [](const SchemaTable &a, const SchemaTable &b) { return a.name < b.name; });
        std::stable_sort(s.enums.begin(), s.enums.end(), [](const SchemaEnum &a, const SchemaEnum &b) {
            return a.schema != b.schema ? a.schema < b.schema : a.name < b.name;
        });
        s.views.sort();
        for (SchemaTable &t : s.tables) {
            sortNamed(t.foreignKeys);
            sortNamed(t.indexes);
            sortNamed(t.uniqueConstraints);
            std::stable_sort(t.checkConstraints.begin(), t.checkConstraints.end(),
                             [](const SchemaCheckConstraint &a, const SchemaCheckConstraint &b) {
                                 if (a.name.isEmpty() != b.name.isEmpty())
                                     return !a.name.isEmpty();
                                 if (a.name != b.name)
                                     return a.name < b.name;
                                 return a.sqltext < b.sqltext;
                             });
            for (SchemaIndex &ix : t.indexes)
                ix.isExpression.resize(ix.columns.size());
        }
    }
}

QJsonObject SchemaModel::toJsonObject() const
{
    SchemaModel copy = *this;
    copy.normalize();
    return SchemaJson::write(copy);
}

QByteArray SchemaModel::toJson(QJsonDocument::JsonFormat format) const
{
    return QJsonDocument(toJsonObject()).toJson(format);
}

Result<SchemaModel> SchemaModel::fromJsonObject(const QJsonObject &object, const QString &source)
{
    return SchemaJson::read(object, source);
}

Result<SchemaModel> SchemaModel::fromJson(const QByteArray &json, const QString &source)
{
    QJsonParseError err;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &err);
    if (err.error != QJsonParseError::NoError) {
        // Report the line of the offset so an editor can jump to it.
        const int line = int(json.left(err.offset).count('\n')) + 1;
        return Error(QStringLiteral("invalid JSON: %1").arg(err.errorString()), source, line);
    }
    if (!doc.isObject())
        return Error(QStringLiteral("a schema document must be a JSON object"), source);
    return SchemaJson::read(doc.object(), source);
}

VoidResult SchemaModel::toJsonFile(const QString &path) const
{
    // QSaveFile: a reader never sees a half-written snapshot.
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return Error(QStringLiteral("cannot write schema snapshot: %1").arg(file.errorString()),
                     path);
    file.write(toJson());
    if (!file.commit())
        return Error(QStringLiteral("cannot write schema snapshot: %1").arg(file.errorString()),
                     path);
    return {};
}

Result<SchemaModel> SchemaModel::fromJsonFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error(QStringLiteral("cannot read schema snapshot: %1").arg(file.errorString()),
                     path);
    return fromJson(file.readAll(), path);
}

bool SchemaModel::operator==(const SchemaModel &o) const
{
    return dialect == o.dialect && defaultSchemaName == o.defaultSchemaName
           && serverVersion == o.serverVersion && schemas == o.schemas;
}

} // namespace retort
