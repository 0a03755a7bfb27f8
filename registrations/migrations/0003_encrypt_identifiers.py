"""National ID, passport and household document numbers encrypted at rest.

Existing rows hold plaintext, which the new field would try to decrypt, so
they are rewritten with raw SQL between the column changes.
"""

from django.db import migrations, models

import registrations.encryption

PROFILE_TABLE = "registrations_citizenprofile"
MEMBER_TABLE = "registrations_householdmember"


def _rewrite(schema_editor, table, columns, transform, digest_of=None):
    quote = schema_editor.connection.ops.quote_name
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"SELECT id, {', '.join(quote(column) for column in columns)} FROM {quote(table)}")
        for pk, *values in cursor.fetchall():
            assignments = {column: transform(value) if value else value for column, value in zip(columns, values)}
            if digest_of:
                plaintext = values[columns.index(digest_of)]
                assignments["national_id_digest"] = registrations.encryption.identifier_digest(plaintext)
            cursor.execute(
                f"UPDATE {quote(table)} SET {', '.join(f'{quote(column)} = %s' for column in assignments)} WHERE id = %s",
                [*assignments.values(), pk],
            )


def encrypt_existing(apps, schema_editor):
    encrypt = registrations.encryption.encrypt
    _rewrite(schema_editor, PROFILE_TABLE, ["national_id", "passport_number"], encrypt, digest_of="national_id")
    _rewrite(schema_editor, MEMBER_TABLE, ["document_number"], encrypt)


def decrypt_existing(apps, schema_editor):
    decrypt = registrations.encryption.decrypt
    _rewrite(schema_editor, PROFILE_TABLE, ["national_id", "passport_number"], decrypt)
    _rewrite(schema_editor, MEMBER_TABLE, ["document_number"], decrypt)


class Migration(migrations.Migration):
    dependencies = [
        ("registrations", "0002_profiles_household_trips_stops"),
    ]

    operations = [
        migrations.AddField(
            model_name="citizenprofile",
            name="national_id_digest",
            field=models.CharField(
                editable=False, max_length=64, null=True, verbose_name="national identity number (keyed hash)"
            ),
        ),
        migrations.AlterField(
            model_name="citizenprofile",
            name="national_id",
            field=registrations.encryption.EncryptedCharField(
                digest_field="national_id_digest", max_length=32, verbose_name="national identity number"
            ),
        ),
        migrations.AlterField(
            model_name="citizenprofile",
            name="passport_number",
            field=registrations.encryption.EncryptedCharField(max_length=20, verbose_name="passport number"),
        ),
        migrations.AlterField(
            model_name="householdmember",
            name="document_number",
            field=registrations.encryption.EncryptedCharField(
                blank=True, max_length=32, verbose_name="passport or ID number"
            ),
        ),
        migrations.RunPython(encrypt_existing, decrypt_existing),
        migrations.AlterField(
            model_name="citizenprofile",
            name="national_id_digest",
            field=models.CharField(
                editable=False, max_length=64, verbose_name="national identity number (keyed hash)"
            ),
        ),
        migrations.AddConstraint(
            model_name="citizenprofile",
            constraint=models.UniqueConstraint(
                fields=("national_id_digest",),
                name="registrations_profile_national_id_unique",
                violation_error_message="This national identity number is registered to another account.",
            ),
        ),
    ]
