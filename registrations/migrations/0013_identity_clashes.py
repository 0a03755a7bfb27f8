# A national ID two profiles claim becomes a case for headquarters (IdentityClash), not an error that
# tells whoever typed it that the number is someone's: the digest is indexed, no longer unique.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("registrations", "0012_audit_refuses_truncate"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="citizenprofile",
            name="registrations_profile_national_id_unique",
        ),
        migrations.AddIndex(
            model_name="citizenprofile",
            index=models.Index(fields=["national_id_digest"], name="registrations_profile_nid_idx"),
        ),
        migrations.CreateModel(
            name="IdentityClash",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="found at")),
                ("resolved_at", models.DateTimeField(blank=True, null=True, verbose_name="resolved at")),
                ("note", models.TextField(blank=True, verbose_name="what was found")),
                (
                    "claimant",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="identity_clashes_claimed",
                        to="registrations.citizenprofile",
                        verbose_name="profile that claimed the number",
                    ),
                ),
                (
                    "holder",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="identity_clashes_held",
                        to="registrations.citizenprofile",
                        verbose_name="profile that held the number",
                    ),
                ),
                (
                    "resolved_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="resolved by",
                    ),
                ),
            ],
            options={
                "verbose_name": "national ID clash",
                "verbose_name_plural": "national ID clashes",
                "ordering": ["-created_at", "-id"],
                "constraints": [
                    models.UniqueConstraint(fields=("claimant", "holder"), name="registrations_identityclash_once")
                ],
            },
        ),
    ]
