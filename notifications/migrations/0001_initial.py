"""The outbox (from reservations) and the notifications list (from accounts) move here.

State only: the tables already exist under their old names; 0002 renames them. A fresh database
runs the old apps' migrations first, so both paths end with the same schema.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("accounts", "0005_notifications_and_outbox"),
        ("anchors", "0001_initial"),
        ("reservations", "0005_clearer_status_labels"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Outbox",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("key", models.CharField(max_length=120, unique=True)),
                        ("kind", models.CharField(max_length=30, verbose_name="kind")),
                        ("object_id", models.PositiveBigIntegerField()),
                        ("offset_minutes", models.PositiveIntegerField(blank=True, null=True)),
                        ("due_at", models.DateTimeField(verbose_name="due at")),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("pending", "Waiting to be sent"),
                                    ("sending", "Being sent"),
                                    ("sent", "Sent"),
                                    ("failed", "Failed, will retry"),
                                    ("gave_up", "Gave up after retries"),
                                    ("skipped", "No longer needed"),
                                ],
                                default="pending",
                                max_length=10,
                                verbose_name="status",
                            ),
                        ),
                        ("attempts", models.PositiveSmallIntegerField(default=0, verbose_name="attempts")),
                        ("next_attempt_at", models.DateTimeField(blank=True, null=True)),
                        ("claimed_at", models.DateTimeField(blank=True, null=True)),
                        ("sent_at", models.DateTimeField(blank=True, null=True, verbose_name="sent at")),
                        ("last_error", models.CharField(blank=True, max_length=300, verbose_name="last error")),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "anchor",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="anchors.anchor",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="recipient",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "reservations_outbox",
                        "verbose_name": "outgoing message",
                        "verbose_name_plural": "outgoing messages",
                        "ordering": ["due_at", "pk"],
                        "indexes": [models.Index(fields=["status", "due_at"], name="reservation_status_cbfae4_idx")],
                    },
                ),
                migrations.CreateModel(
                    name="Notification",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("title", models.CharField(max_length=200, verbose_name="title")),
                        ("body", models.TextField(blank=True, verbose_name="message")),
                        ("url", models.CharField(blank=True, max_length=300, verbose_name="link")),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                        ("read_at", models.DateTimeField(blank=True, null=True, verbose_name="read at")),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="notifications",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="user",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "accounts_notification",
                        "verbose_name": "notification",
                        "verbose_name_plural": "notifications",
                        "ordering": ["-created_at", "-pk"],
                        "indexes": [models.Index(fields=["user", "read_at"], name="accounts_no_user_id_780bd6_idx")],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
