"""The ``graduated`` command: a thin, documented front to Django's manage.py.

graduated serve [ADDRESS]   run the web server (Django's in DEBUG, otherwise gunicorn)
graduated demo              load the demo data (safe to run twice)
graduated worker            run the background task worker
graduated digests           send today's digest e-mails (run once a day, e.g. from cron)
graduated family-digests    send the weekly digests families chose (run once a week)
graduated totp EMAIL        print a demo account's current second-factor code (DEBUG=1 only)
graduated audit-seal        seal new audit and security events into their hash chains (run every few minutes)
graduated audit-verify      check the audit hash chains; exit 1 at the first broken link
graduated create-la-admin   create a local authority's first administrator
graduated check             check the installation (settings, database, migrations)
graduated backup            write a checked snapshot of the database and uploads (--output DIR)
graduated restore PATH      restore a backup into an empty database and MEDIA_ROOT
graduated purge-expired     remove records past their retention period (--dry-run; run daily)
graduated rebuild-oversight work the LA dashboard's summaries out again from the records
graduated rebuild-impact    work the intervention groups' impact figures out again from the records
graduated rebuild-plan-quality  check every open plan again (run nightly: "an outcome already due" moves with the date)
graduated export-subject-access ID --output FILE
                            everything held about one pupil, as one ZIP (subject access request)
graduated migrate           bring the database up to date
graduated manage ...        any other manage.py command
"""

import os
import sys

COMMANDS = {
    "demo": ["load_demo"],
    "worker": ["db_worker", "--queue-name", "*"],
    "digests": ["send_digests"],
    "family-digests": ["send_family_digests"],
    "totp": ["totp_code"],
    "audit-seal": ["audit_seal"],
    "audit-verify": ["audit_verify"],
    "create-la-admin": ["create_la_admin"],
    "check": ["check_install"],
    "backup": ["backup"],
    "restore": ["restore"],
    "purge-expired": ["purge_expired"],
    "rebuild-oversight": ["rebuild_oversight"],
    "rebuild-impact": ["rebuild_impact"],
    "rebuild-plan-quality": ["rebuild_plan_quality"],
    "export-subject-access": ["export_subject_access"],
    "migrate": ["migrate", "--no-input"],
}


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "graduated.settings")
    if not args or args[0] in ("-h", "--help", "help"):
        print(__doc__)
        return
    command, rest = args[0], args[1:]
    if command == "serve":
        serve(rest)
        return
    from django.core.management import execute_from_command_line

    if command == "manage":
        execute_from_command_line(["graduated", *rest])
    elif command in COMMANDS:
        execute_from_command_line(["graduated", *COMMANDS[command], *rest])
    else:
        print(f"Unknown command {command!r}.\n{__doc__}", file=sys.stderr)
        sys.exit(2)


def serve(rest: list[str]) -> None:
    from django.conf import settings

    address = rest[0] if rest else os.environ.get("BIND", "127.0.0.1:8000")
    if settings.DEBUG:
        from django.core.management import execute_from_command_line

        execute_from_command_line(["graduated", "runserver", address, *rest[1:]])
        return
    os.execvp(  # noqa: S606 - replaces this process with gunicorn, by design
        sys.executable,
        [sys.executable, "-m", "gunicorn", "graduated.wsgi", "--bind", address, *rest[1:]],
    )


if __name__ == "__main__":
    main()
