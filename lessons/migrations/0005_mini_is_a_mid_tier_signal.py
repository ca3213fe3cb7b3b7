"""The "mini" naming signal moves from the small tier to the mid tier (the source's two
"mini" models, GPT-4.1 mini and Grok-3 mini, are mid-tier). `load_content` adds the mid-tier
row; it never deletes, so the small-tier row goes here."""

from django.db import migrations


def remove_small_mini(apps, schema_editor):
    NamingSignal = apps.get_model("lessons", "NamingSignal")
    NamingSignal.objects.filter(tier="small", signal="mini").delete()


class Migration(migrations.Migration):
    dependencies = [("lessons", "0004_perf")]

    operations = [migrations.RunPython(remove_small_mini, migrations.RunPython.noop)]
