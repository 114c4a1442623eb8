import sys

from neobank_dashboard.cli import main

sys.exit(main())
