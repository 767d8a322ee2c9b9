//! Reading parts of a zip-based document within a memory budget.

use super::ExtractError;
use std::io::Read;

/// All the parts read from one document together: a bigger one, or a zip
/// bomb, stops here.
pub const MAX_INFLATED: u64 = 512 * 1024 * 1024;

pub struct Zipped<'a> {
    zip: zip::ZipArchive<std::io::Cursor<&'a [u8]>>,
    format: &'static str,
    left: u64,
}

impl<'a> Zipped<'a> {
    pub fn open(bytes: &'a [u8], format: &'static str) -> Result<Self, ExtractError> {
        let zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| {
            ExtractError::Invalid {
                format,
                why: format!("not a readable zip archive: {e}"),
            }
        })?;
        Ok(Self {
            zip,
            format,
            left: MAX_INFLATED,
        })
    }

    #[cfg(test)]
    pub fn with_budget(mut self, left: u64) -> Self {
        self.left = left;
        self
    }

    /// The part `name` as text, `None` if the archive has none. The size
    /// the zip declares is checked first and the bytes while inflating
    /// (a declared size can lie).
    pub fn text(&mut self, name: &str) -> Result<Option<String>, ExtractError> {
        let format = self.format;
        let entry = match self.zip.by_name(name) {
            Ok(e) => e,
            Err(zip::result::ZipError::FileNotFound) => return Ok(None),
            Err(e) => {
                return Err(ExtractError::Invalid {
                    format,
                    why: format!("{name} cannot be read: {e}"),
                });
            }
        };
        let too_big = || ExtractError::TooLarge {
            part: name.to_string(),
            limit: MAX_INFLATED,
        };
        if entry.size() > self.left {
            return Err(too_big());
        }
        let mut bytes = Vec::new();
        entry
            .take(self.left + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| ExtractError::Invalid {
                format,
                why: format!("{name} cannot be unpacked: {e}"),
            })?;
        if bytes.len() as u64 > self.left {
            return Err(too_big());
        }
        self.left -= bytes.len() as u64;
        String::from_utf8(bytes)
            .map(Some)
            .map_err(|e| ExtractError::Invalid {
                format,
                why: format!("{name} is not UTF-8 ({e})"),
            })
    }

    /// A part that must be there, parsed as XML by `read`.
    pub fn required(&mut self, name: &str) -> Result<String, ExtractError> {
        self.text(name)?.ok_or_else(|| ExtractError::Invalid {
            format: self.format,
            why: format!("it has no {name}"),
        })
    }

    /// The document's title from its metadata part (`docProps/core.xml`,
    /// `meta.xml`): the first `title` element's text, if not blank.
    pub fn title(&self, name: &str, text: Option<&str>) -> Option<String> {
        let meta = self.xml(name, text?).ok()?;
        let t = meta
            .descendants()
            .find(|n| n.tag_name().name() == "title")?
            .text()?
            .trim()
            .to_string();
        (!t.is_empty()).then_some(t)
    }

    pub fn xml<'x>(
        &self,
        name: &str,
        text: &'x str,
    ) -> Result<roxmltree::Document<'x>, ExtractError> {
        let options = roxmltree::ParsingOptions {
            allow_dtd: false,
            ..Default::default()
        };
        roxmltree::Document::parse_with_options(text, options).map_err(|e| ExtractError::Invalid {
            format: self.format,
            why: format!("{name} is not valid XML: {e}"),
        })
    }
}
