"""Move the staff's authenticators from django-otp's TOTPDevice, whose secret is clear hex, to ours, encrypted.

Frozen: the encryption is a copy of the few lines it needs (a Fernet token
under the first of FIELD_ENCRYPTION_KEYS, as portal.encryption writes it),
and rows are written with SQL, not through the live field. The clear rows
are deleted once copied. Staff signed in keep their session but type a code
again (their session named the old device).
"""

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.db import migrations

TABLE = "second_factor_authenticatordevice"
COLUMNS = [
    "user_id",
    "name",
    "confirmed",
    "throttling_failure_timestamp",
    "throttling_failure_count",
    "created_at",
    "last_used_at",
    "key",
    "step",
    "t0",
    "digits",
    "tolerance",
    "drift",
    "last_t",
]


def encrypt_into_ours(apps, schema_editor):
    TOTPDevice = apps.get_model("otp_totp", "TOTPDevice")
    encrypt = Fernet(settings.FIELD_ENCRYPTION_KEYS[0]).encrypt
    quote = schema_editor.connection.ops.quote_name
    insert = (
        f"INSERT INTO {quote(TABLE)} ({', '.join(quote(column) for column in COLUMNS)}) "
        f"VALUES ({', '.join(['%s'] * len(COLUMNS))})"
    )
    devices = TOTPDevice.objects.using(schema_editor.connection.alias).order_by("pk")
    with schema_editor.connection.cursor() as cursor:
        for device in devices:
            values = {column: getattr(device, column) for column in COLUMNS}
            values["key"] = encrypt(device.key.encode()).decode()
            cursor.execute(insert, list(values.values()))
    devices.delete()


def decrypt_into_theirs(apps, schema_editor):
    TOTPDevice = apps.get_model("otp_totp", "TOTPDevice")
    decrypt = MultiFernet([Fernet(key) for key in settings.FIELD_ENCRYPTION_KEYS]).decrypt
    quote = schema_editor.connection.ops.quote_name
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(quote(column) for column in COLUMNS)} FROM {quote(TABLE)} ORDER BY id")
        for row in cursor.fetchall():
            values = dict(zip(COLUMNS, row, strict=True))
            values["key"] = decrypt(values["key"].encode()).decode()
            TOTPDevice.objects.using(schema_editor.connection.alias).create(**values)
        cursor.execute(f"DELETE FROM {quote(TABLE)}")


class Migration(migrations.Migration):
    dependencies = [
        ("second_factor", "0001_authenticator_devices"),
        ("otp_totp", "0003_add_timestamps"),
    ]

    operations = [migrations.RunPython(encrypt_into_ours, decrypt_into_theirs)]
