"""Entry point of ``python -m modeling``."""

from modeling.cli import main

raise SystemExit(main())
