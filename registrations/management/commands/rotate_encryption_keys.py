"""Re-encrypt every encrypted identifier under the first key of FIELD_ENCRYPTION_KEYS."""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from portal.encryption import EncryptedCharField


class Command(BaseCommand):
    help = (
        "After putting a new key first in FIELD_ENCRYPTION_KEYS, re-encrypt all stored identifiers with it; "
        "then the old key can be removed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=1000)

    def handle(self, *args, batch_size, **options):
        for model in apps.get_models():
            fields = [field for field in model._meta.concrete_fields if isinstance(field, EncryptedCharField)]
            if not fields:
                continue
            names = [field.attname for field in fields]
            done = 0
            # Reading decrypts with any listed key; saving encrypts with the first.
            rows = model._default_manager.order_by("pk").values_list("pk", *names)
            for start in range(0, rows.count(), batch_size):
                with transaction.atomic():
                    for pk, *values in rows[start : start + batch_size]:
                        model._default_manager.filter(pk=pk).update(**dict(zip(names, values, strict=True)))
                        done += 1
            self.stdout.write(f"{model._meta.label}: {done} rows re-encrypted ({', '.join(names)}).")
