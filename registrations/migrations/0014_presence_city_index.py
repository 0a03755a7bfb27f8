# The cities of a country (or region) where someone is or will be, read from an index alone: the list
# filter of the people present (CityFilter) read every stop of the country and its trip (make bench).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('registrations', '0013_identity_clashes'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='stop',
            index=models.Index(fields=['country', 'region', 'city', 'departure_date'], name='registrations_stop_city_idx'),
        ),
    ]
