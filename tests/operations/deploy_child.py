"""Set-up and read-back for tests/operations/test_nginx.py, run in a child process.

The server under test runs on a database of its own; these steps run on that
database with the same environment: `setup` migrates it and writes the people
and a report, `audit` reads back the audit log.

    python -m tests.operations.deploy_child setup|audit OUT.json
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path


def setup() -> dict[str, object]:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    from tests.world import authenticator_of, build_world, report_data
    from trygg.reports.actions import submit_report

    world = build_world()
    device = authenticator_of(world.anna)
    report, _created = submit_report(
        organisation=world.orgs["bostad"],
        by=world.karl,
        data=report_data(description="Klotter på gaveln mot parkeringen"),
    )
    return {"anna_key": device.key, "karl_report": str(report.pk)}


def audit() -> dict[str, object]:
    from trygg.partners.models import AuditEvent

    rows = AuditEvent.objects.order_by("at").values("action", "address", "path", "actor_name")
    return {"events": list(rows)}


def main() -> None:
    step, out = sys.argv[1], Path(sys.argv[2])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trygg.settings")
    import django

    django.setup()
    result = {"setup": setup, "audit": audit}[step]()
    out.write_text(json.dumps(result, default=str))


if __name__ == "__main__":
    main()
