"""Old path of ``neobank outcomes``, kept as an alias: ``python -m neobank_dashboard.outcomes``."""

import sys

from neobank_dashboard.cli.options import alias

main = alias("outcomes")

if __name__ == "__main__":
    sys.exit(main())
