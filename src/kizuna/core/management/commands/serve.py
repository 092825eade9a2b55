import os
import signal
import subprocess
import sys
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser


def add_server_options(parser: CommandParser) -> None:
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)"
    )
    parser.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    parser.add_argument(
        "--workers", type=int, default=2, help="gunicorn worker processes (default 2)"
    )


def server_environment() -> dict[str, str]:
    """The environment of every process serving this run: this one's, with its signing key.

    Without a configured SECRET_KEY (development, the demo) each process draws its own, and
    gunicorn's workers import the settings each for itself: a session signed by one worker
    reads as corrupt to the next, which signs the user out at random. Handing them this
    process's key gives the whole run one key; it still dies with the run.
    """
    return os.environ | {"SECRET_KEY": settings.SECRET_KEY}


def run_server(host: str, port: int, workers: int) -> int:
    """Serve the app with gunicorn in the foreground until interrupted."""
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "kizuna.wsgi:application",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--access-logfile",
        "-",
        "--graceful-timeout",
        "5",
    ]
    server = subprocess.Popen(command, env=server_environment())

    def stop(signum: int, frame: FrameType | None) -> None:
        # A service manager stops this process, not gunicorn: pass the word on, or gunicorn
        # and its workers outlive the command, still holding the port.
        server.send_signal(signum)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        return server.wait()
    except KeyboardInterrupt:  # Ctrl-C reached gunicorn too: let it finish its shutdown
        server.wait()
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)


class Command(BaseCommand):
    help = "Serve the web app (gunicorn) on --host and --port."

    def add_arguments(self, parser: CommandParser) -> None:
        add_server_options(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"Serving Kizuna on http://{options['host']}:{options['port']}/")
        self.stdout.flush()
        sys.exit(run_server(options["host"], options["port"], options["workers"]))
