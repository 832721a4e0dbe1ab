"""``python -m harbour.monitoring scan ...``: the monitoring engine's command line, without Django (FLT-08)."""

from harbour.monitoring.engine.cli import main

raise SystemExit(main())
