"""Old path of ``neobank audit``, kept as an alias: operators' scripts run it with ``python -m``."""

import sys

from neobank_dashboard.cli.options import alias

main = alias("audit")

if __name__ == "__main__":
    sys.exit(main())
