#pragma once
// PostgresqlImpl.compare_server_default's last step: the server itself says whether the
// reflected and the model's default are equal (`SELECT <conn> = <meta>`), so that
// '0'::numeric and 0, or now() and CURRENT_TIMESTAMP, are not reported as changes.

#include "serverdefaultcomparator.h"

namespace retort {

class DatabaseConnection;

class PostgresDefaultProbe
{
public:
    // A probe running on `connection` (which must outlive it); null when the connection
    // is not PostgreSQL.
    static ServerDefaultComparator::EqualityProbe forConnection(DatabaseConnection &connection);

    // The statement the probe runs.
    static QString statement(const QString &connDefault, const QString &metaDefault);
};

} // namespace retort
