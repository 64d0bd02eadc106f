// The `hotspot` command (work in progress: replaced by the full CLI).
int main() { return 0; }
