"""Old path of ``neobank docs``, kept as an alias: operators' scripts run it with ``python -m``."""

import sys

from neobank_dashboard.cli.options import alias

main = alias("docs")

if __name__ == "__main__":
    sys.exit(main())
