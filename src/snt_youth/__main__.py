"""``python -m snt_youth`` runs the command line."""

from snt_youth.cli import main

if __name__ == "__main__":
    main()
