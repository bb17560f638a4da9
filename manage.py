#!/usr/bin/env python
"""Same as the `daihoi` command."""

from daihoi.__main__ import main

if __name__ == "__main__":
    main()
