//! The differential-test oracle: the YAML parser this project used before its own
//! (`granit-parser`), its events translated into ours and fed to the same tree builder
//! (`Builder`). [`super::differential_tests`] checks that [`super::parse`] builds
//! the same trees, so what they compare is the two parsers.

use std::borrow::Cow;

use granit_parser::{
    Event as GEvent, Options, Parser, ScalarStyle as GStyle, ScanError, Span, StructureStyle,
};

use crate::source::TextRange;
use crate::yaml::internals::{Builder, Event, Style};
use crate::yaml::{YamlError, YamlFile, MAX_NESTING};

/// Parses a (multi-document) YAML stream with granit-parser, as [`super::parse`] does with ours.
pub fn parse(text: &str) -> YamlFile {
    let mut options = Options::default();
    options.flow_nesting_limit = MAX_NESTING;
    options.block_nesting_limit = MAX_NESTING;
    options.emit_comments = false;
    let mut parser = Parser::new_from_str_with_options(text, options);
    let mut builder = Builder::new();
    loop {
        let result = match parser.next_event() {
            None => break,
            Some(Ok((event, span))) => {
                let range = range(text, &span);
                match translate(event, range) {
                    Ok(Some(event)) => builder.event(event, range),
                    Ok(None) => Ok(()),
                    Err(error) => Err(error),
                }
            }
            Some(Err(error)) => Err(scan_error(text, &error)),
        };
        if let Err(error) = result {
            builder.fail_document(error);
            if !matches!(parser.proceed_next_document(), Ok(true)) {
                break;
            }
        }
    }
    builder.into_file(text)
}

/// Our event for a granit event (`None` for those the builder does not need).
fn translate(event: GEvent<'_>, range: TextRange) -> Result<Option<Event<'static>>, YamlError> {
    Ok(Some(match event {
        GEvent::StreamEnd => Event::StreamEnd,
        GEvent::DocumentStart(..) => Event::DocumentStart,
        GEvent::DocumentEnd => Event::DocumentEnd,
        GEvent::Scalar(text, style, anchor, tag) => Event::Scalar(
            Cow::Owned(text.into_owned()),
            style_of(style),
            anchor,
            tag.map(|t| Cow::Owned(t.suffix().to_owned())),
        ),
        GEvent::Alias(id) => Event::Alias(id),
        GEvent::UnresolvedAlias(name) => {
            return Err(YamlError {
                range,
                message: format!("unknown anchor `{name}`"),
            })
        }
        GEvent::SequenceStart(style, anchor, _) => {
            Event::SequenceStart(anchor, style == StructureStyle::Flow)
        }
        GEvent::MappingStart(style, anchor, _) => {
            Event::MappingStart(anchor, style == StructureStyle::Flow)
        }
        GEvent::SequenceEnd => Event::SequenceEnd,
        GEvent::MappingEnd => Event::MappingEnd,
        _ => return Ok(None),
    }))
}

fn style_of(style: GStyle) -> Style {
    match style {
        GStyle::Plain => Style::Plain,
        GStyle::SingleQuoted => Style::SingleQuoted,
        GStyle::DoubleQuoted => Style::DoubleQuoted,
        GStyle::Literal => Style::Literal,
        GStyle::Folded => Style::Folded,
    }
}

fn range(text: &str, span: &Span) -> TextRange {
    match span.byte_range() {
        Some(r) => TextRange::new(r.start.min(text.len()), r.end.min(text.len())),
        None => {
            let start = char_to_byte(text, span.start.index());
            TextRange::new(start, start)
        }
    }
}

fn scan_error(text: &str, error: &ScanError) -> YamlError {
    let marker = error.marker();
    let offset = marker
        .byte_offset()
        .unwrap_or_else(|| char_to_byte(text, marker.index()));
    YamlError::at(text, offset, error.info())
}

fn char_to_byte(text: &str, index: usize) -> usize {
    text.char_indices()
        .nth(index)
        .map_or(text.len(), |(i, _)| i)
}
