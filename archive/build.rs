// Rebuild when a migration is added or edited: the migrations are embedded by
// `sqlx::migrate!`, which cannot tell cargo about the files it reads.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
