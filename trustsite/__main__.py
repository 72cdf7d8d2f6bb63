import sys

from trustsite.cli import main

sys.exit(main())
