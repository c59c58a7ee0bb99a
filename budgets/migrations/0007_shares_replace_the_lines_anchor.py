"""The line's single anchor gave way to its shares (copied in 0006); the contacts line to one row per person."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("budgets", "0006_shares_national_shares_and_the_books_blanks"),
    ]

    operations = [
        migrations.RemoveField(
            model_name='budgetline',
            name='anchor',
        ),
        migrations.RemoveField(
            model_name='historicalbudgetline',
            name='anchor',
        ),
        migrations.RemoveField(
            model_name='historicalproject',
            name='contacts_ko',
        ),
        migrations.RemoveField(
            model_name='project',
            name='contacts_ko',
        ),
    ]
