use super::*;
use crate::archive::{apply_edits, parse_bytes};

fn post(text: &str) -> Post {
    parse_bytes("news/feed/p.md".into(), None, text.as_bytes().to_vec())
}

/// The text after turning the post's fields into `change(fields)`.
fn edited(text: &str, change: impl FnOnce(&mut Fields)) -> String {
    let post = post(text);
    let original = Fields::of_post(&post).unwrap();
    let mut current = original.clone();
    change(&mut current);
    let edits = current.edits_from(&original).unwrap();
    apply_edits(&post, &edits).unwrap()
}

const HUGO: &str =
    "---\ntitle: t\ncategory: news\ntags: [a]\nlastmod: 2021-01-02\nauthors: [x, y]\n---\nbody\n";

#[test]
fn keys_are_listed_as_written_in_file_order() {
    let fields = Fields::of_post(&post(HUGO)).unwrap();
    let keys: Vec<&str> = fields.iter().map(|f| f.key.as_str()).collect();
    assert_eq!(keys, ["title", "category", "tags", "lastmod", "authors"]);
    assert_eq!(
        fields.value("category"),
        Some(&FieldValue::List(vec!["news".into()]))
    );
    assert_eq!(
        fields.value("lastmod"),
        Some(&FieldValue::Date("2021-01-02".into()))
    );
    assert_eq!(
        fields.value("authors"),
        Some(&FieldValue::List(vec!["x".into(), "y".into()]))
    );
    assert_eq!(fields.key_as_written("categories"), "category");
    assert_eq!(fields.key_as_written("updated"), "lastmod");
    assert_eq!(fields.key_as_written("title"), "title");
    assert_eq!(fields.key_as_written("cover"), "cover");
}

#[test]
fn an_alias_key_is_saved_under_its_own_spelling() {
    let out = edited(HUGO, |f| {
        f.set("lastmod", FieldValue::Date("2021-01-03".into()));
        f.set("category", FieldValue::List(vec!["sport".into()]));
    });
    assert_eq!(
        out,
        "---\ntitle: t\ncategory: sport\ntags: [a]\nlastmod: 2021-01-03\nauthors: [x, y]\n---\nbody\n"
    );
}

#[test]
fn a_scalar_list_grows_into_a_list_only_when_it_must() {
    let out = edited(HUGO, |f| {
        f.set(
            "category",
            FieldValue::List(vec!["news".into(), "sport".into()]),
        )
    });
    assert!(out.contains("category:"), "{out}");
    let back = Fields::of_post(&post(&out)).unwrap();
    assert_eq!(
        back.value("category"),
        Some(&FieldValue::List(vec!["news".into(), "sport".into()]))
    );
}

#[test]
fn a_typed_date_keeps_the_fields_format() {
    let text = "---\ntitle: x\ndate: Tue, 16 Aug 2022 05:47:27 GMT\n---\n";
    let out = edited(text, |f| {
        f.set("date", FieldValue::Date("2022-08-17 10:00:00".into()))
    });
    assert_eq!(
        out,
        "---\ntitle: x\ndate: Wed, 17 Aug 2022 10:00:00 GMT\n---\n"
    );
}

#[test]
fn notes_explain_dates_before_saving() {
    let text = "---\ndate: Tue, 16 Aug 2022 05:47:27 GMT\n---\n";
    let original = Fields::of_post(&post(text)).unwrap();
    let mut current = original.clone();
    current.set("date", FieldValue::Date("2022-08-17 10:00:00".into()));
    let field = current.get("date").unwrap();
    assert_eq!(
        current.note(field, &original),
        Some(FieldNote::SavedAs("Wed, 17 Aug 2022 10:00:00 GMT".into()))
    );
    current.set("date", FieldValue::Date("soon".into()));
    let field = current.get("date").unwrap();
    assert!(matches!(
        current.note(field, &original),
        Some(FieldNote::Error(_))
    ));
    assert_eq!(current.first_error(&original).unwrap().key, "date");
}

#[test]
fn nested_lists_and_maps_are_read_only() {
    let text = "---\ncategories:\n -  - news\n - 动漫\ncover:\n  image: /c.png\n---\n";
    let original = Fields::of_post(&post(text)).unwrap();
    assert!(matches!(
        original.value("categories"),
        Some(FieldValue::Structured(_))
    ));
    assert!(matches!(
        original.value("cover"),
        Some(FieldValue::Structured(_))
    ));
    let mut current = original.clone();
    current.set("categories", FieldValue::Structured("[x]".into()));
    assert!(current.edits_from(&original).is_err());
    // Removing such a key is allowed.
    current = original.clone();
    current.remove("cover");
    assert_eq!(
        current.edits_from(&original).unwrap(),
        vec![Edit::RemoveKey {
            key: "cover".into()
        }]
    );
}

#[test]
fn unchanged_fields_give_no_edits_and_values_keep_their_types() {
    let text = "---\ntitle: '2021'\nweight: 5\ncomments: false\nlink: https://a.b\nempty:\n---\n";
    let original = Fields::of_post(&post(text)).unwrap();
    assert_eq!(
        original.value("title"),
        Some(&FieldValue::Text("2021".into()))
    );
    assert_eq!(original.value("weight"), Some(&FieldValue::Raw("5".into())));
    assert_eq!(original.value("comments"), Some(&FieldValue::Bool(false)));
    assert_eq!(
        original.value("link"),
        Some(&FieldValue::Text("https://a.b".into()))
    );
    assert_eq!(
        original.value("empty"),
        Some(&FieldValue::Raw(String::new()))
    );
    assert!(original.edits_from(&original).unwrap().is_empty());
    let out = edited(text, |f| f.set("weight", FieldValue::Raw("6".into())));
    assert!(out.contains("weight: 6\n"), "{out}");
}

#[test]
fn broken_front_matter_is_not_editable() {
    let err = Fields::of_post(&post("---\ntitle: [broken\n---\n")).unwrap_err();
    assert!(err.to_string().contains("news/feed/p.md"), "{err}");
}

#[test]
fn toml_front_matter_has_fields_too() {
    let text = "+++\ntitle = \"Hugo\"\ndate = 2021-06-17T08:02:32+08:00\ntags = [\"a\"]\n+++\n";
    let fields = Fields::of_post(&post(text)).unwrap();
    let keys: Vec<&str> = fields.iter().map(|f| f.key.as_str()).collect();
    assert_eq!(keys, ["title", "date", "tags"]);
    let out = edited(text, |f| f.set("title", FieldValue::Text("新".into())));
    assert!(out.contains("title = \"新\""), "{out}");
}

#[test]
fn a_post_the_lossless_editor_refuses_is_not_offered_as_editable() {
    // CR-only line ends: `apply_edits` refuses them, so the model must not offer fields
    // that could never be saved (one rule: `archive::check_editable`).
    let error = Fields::of_post(&post("---\rtitle: cr\r---\rbody\r")).unwrap_err();
    assert!(error.to_string().contains("CR only"), "{error}");
}
