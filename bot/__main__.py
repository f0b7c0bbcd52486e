"""`python -m bot`: start every configured platform (the local console when none is)."""

import sys

from bot.bootstrap import serve_main

if __name__ == "__main__":
    raise SystemExit(serve_main(sys.argv[1:]))
