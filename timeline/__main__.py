import sys

from timeline.launch import main

sys.exit(main())
