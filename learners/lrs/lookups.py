"""`field__any=values`: `IN` written as one array parameter on PostgreSQL.

The statement write path looks up a batch's ids (a hundred or more) on every request. With
`__in`, each value is its own parameter, and psycopg parses and does not cache a query of more
than 50 parameters, which made one such lookup cost more than the COPY of the batch. `= ANY(%s)`
binds the list as one array. Other databases get `IN` unchanged.
"""

from django.core.exceptions import EmptyResultSet
from django.db.models import Field
from django.db.models.lookups import In


@Field.register_lookup
class AnyOf(In):
    lookup_name = "any"

    def as_postgresql(self, compiler, connection):
        if not self.rhs_is_direct_value():  # a subquery
            return super().as_sql(compiler, connection)
        lhs, lhs_params = self.process_lhs(compiler, connection)
        field = self.lhs.output_field
        values = [
            field.get_db_prep_value(value, connection, prepared=True)
            for value in self.rhs
            if value is not None
        ]
        if not values:
            raise EmptyResultSet
        return f"{lhs} = ANY(%s)", (*lhs_params, values)
