"""The words `feeds init` and `feeds new` write for an editor to replace.

Kept apart so the scaffold that writes them and the validation that catches them left in
use the very same text.
"""

SITE_DESCRIPTION = "The latest stories from Example News."
ENTRY_SUMMARY = "One or two plain sentences saying what happened."
ENTRY_BODY = "Write the story here, in Markdown: **bold**, _italic_, [links](https://www.example.com/)."
