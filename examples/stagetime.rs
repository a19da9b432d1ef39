//! Times the per-article stages on a JSON Lines file (development aid).
use crosscheck::model::Field;
use crosscheck::segment::Doc;
fn main() {
    let path = std::env::args().nth(1).unwrap();
    let text = std::fs::read_to_string(path).unwrap();
    let arts: Vec<(String, String)> = text
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            (
                v["title"].as_str().unwrap_or("").to_string(),
                v["body"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    let gaz = crosscheck::pipeline::default_gazetteer().unwrap();
    let mut n = 0;
    for (t, b) in &arts {
        let docs = [Doc::new(Field::Title, t, 0), Doc::new(Field::Body, b, 0)];
        let names = crosscheck::entities::find_mentions(&gaz, &docs);
        let c = crosscheck::claims::extract(&docs, &gaz, &names.mentions, None, Default::default());
        n += c.len();
    }
    println!("{n}");
}
