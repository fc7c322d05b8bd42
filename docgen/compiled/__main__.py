"""`python -m docgen.compiled`: regenerate the compiled schema validators."""

from docgen.compiled import write_all

for path in write_all():
    print(path)
