"""``python -m royalty ...`` works like the ``royalty`` command."""

from royalty.cli import main

raise SystemExit(main())
