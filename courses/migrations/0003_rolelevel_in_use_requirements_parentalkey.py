# Written by hand (H2, taxonomy): only the framework changes, so that the course pages'
# migration stays with its author.

import django.db.models.deletion
import modelcluster.fields
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0002_pages"),
    ]

    operations = [
        migrations.AddField(
            model_name="rolelevel",
            name="in_use",
            field=models.BooleanField(
                default=True,
                help_text=(
                    "False for the framework's 'NOT IN USE' placeholder levels: the senior civil "
                    "service chief roles, whose skills are listed without levels."
                ),
            ),
        ),
        migrations.AlterField(
            model_name="rolelevelskill",
            name="role_level",
            field=modelcluster.fields.ParentalKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="requirements",
                to="courses.rolelevel",
            ),
        ),
    ]
