"""`python -m keyvex` runs the command line."""

from keyvex.cli import main

main()
