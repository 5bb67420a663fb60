//! What every output format renders: the files checked and the analysis.

use shoal::{Analysis, ColumnEncoding, LineCol, LineIndex, SourceFile, TextRange};

/// The files checked (in input order) and what was found in them.
pub struct Report<'a> {
    pub files: &'a [SourceFile],
    pub analysis: &'a Analysis,
}

/// Line indexes for each file, built once.
pub struct Positions<'a> {
    files: &'a [SourceFile],
    indexes: Vec<LineIndex>,
    encoding: ColumnEncoding,
}

/// A 1-based start and (exclusive) end position.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    pub start: LineCol,
    pub end: LineCol,
}

impl<'a> Positions<'a> {
    pub fn new(files: &'a [SourceFile], encoding: ColumnEncoding) -> Self {
        Self {
            files,
            indexes: files.iter().map(|f| LineIndex::new(&f.text)).collect(),
            encoding,
        }
    }

    pub fn span(&self, file: usize, range: TextRange) -> Span {
        let text = &self.files[file].text;
        let index = &self.indexes[file];
        Span {
            start: index.line_col(text, range.start(), self.encoding),
            end: index.line_col(text, range.end().max(range.start()), self.encoding),
        }
    }
}
