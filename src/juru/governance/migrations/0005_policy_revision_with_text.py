# The policy revision now covers the readable text as well as the rule side (a version that changes
# only its text gets a revision of its own). Recompute it for the versions already published so they
# match what scans under them now carry; a version whose rule side no longer resolves keeps its value.

import hashlib
import json

from django.db import migrations


def _text_digest(version):
    canonical = json.dumps([version.title, version.body_id, version.body_en], ensure_ascii=False, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def recompute(apps, schema_editor):
    from juru.rules.config import OrgConfig
    from juru.rules.engine import policy_revision, resolve_packs

    PolicyVersion = apps.get_model("governance", "PolicyVersion")
    for version in PolicyVersion.objects.filter(published_at__isnull=False).select_related("organisation"):
        data = {"name": version.organisation.name, **(version.config or {}), "document": _text_digest(version)}
        try:
            config = OrgConfig.from_mapping(data)
            revision = policy_revision(resolve_packs(config), config)
        except Exception:  # unknown packs or a malformed config: leave the recorded revision alone
            continue
        PolicyVersion.objects.filter(pk=version.pk).update(revision=revision)


class Migration(migrations.Migration):

    dependencies = [
        ("governance", "0004_violations"),
    ]

    operations = [
        migrations.RunPython(recompute, migrations.RunPython.noop),
    ]
