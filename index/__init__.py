"""Build side of MKB-assistent: documents/ -> parsed text -> passages -> versioned FAISS index."""
