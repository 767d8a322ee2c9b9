//! Counts in words, the one place plural forms are made: "1 annotation",
//! "2 annotations", for the CLI and the window alike.

/// `n` and `noun`, in the plural unless `n` is 1 ("1 annotation", "0
/// annotations"). Regular nouns only; [`plural_of`] takes the plural form.
pub fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// `n` with `one` or `many` ("1 match", "3 matches").
pub fn plural_of(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_is_singular_everything_else_plural() {
        assert_eq!(plural(1, "annotation"), "1 annotation");
        assert_eq!(plural(0, "annotation"), "0 annotations");
        assert_eq!(plural(2, "document"), "2 documents");
        assert_eq!(plural_of(1, "match", "matches"), "1 match");
        assert_eq!(plural_of(3, "match", "matches"), "3 matches");
    }
}
