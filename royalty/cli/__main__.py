"""``python -m royalty.cli``, as ``royalty``."""

from royalty.cli import main

raise SystemExit(main())
