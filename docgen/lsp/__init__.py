"""`docgen lsp`: a language server (pygls) giving docgen's findings, completions and hovers in the editor."""
