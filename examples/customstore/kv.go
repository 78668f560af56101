package main

import (
	"sort"
	"strings"
	"sync"
)

// KV stands for the key-value store a trust already runs (bbolt, Badger,
// etcd, a Redis with MULTI): string keys in byte order, byte values, and
// transactions that see and change the data alone. This one keeps it in a
// sorted map; the adapter in store.go needs nothing more from it.
type KV struct {
	mu   sync.RWMutex
	data map[string][]byte
}

// NewKV returns an empty store.
func NewKV() *KV { return &KV{data: map[string][]byte{}} }

// Txn is one transaction's view of the store.
type Txn struct {
	kv       *KV
	writable bool
	// writes are buffered until the transaction commits, so a failed
	// Update changes nothing.
	writes map[string][]byte
}

// View runs fn in a read-only transaction.
func (kv *KV) View(fn func(*Txn) error) error {
	kv.mu.RLock()
	defer kv.mu.RUnlock()
	return fn(&Txn{kv: kv})
}

// Update runs fn in a read-write transaction, alone: its writes are applied
// when fn returns nil and dropped otherwise.
func (kv *KV) Update(fn func(*Txn) error) error {
	kv.mu.Lock()
	defer kv.mu.Unlock()
	tx := &Txn{kv: kv, writable: true, writes: map[string][]byte{}}
	if err := fn(tx); err != nil {
		return err
	}
	for k, v := range tx.writes {
		kv.data[k] = v
	}
	return nil
}

// Get returns the value under key.
func (tx *Txn) Get(key string) ([]byte, bool) {
	if v, ok := tx.writes[key]; ok {
		return v, true
	}
	v, ok := tx.kv.data[key]
	return v, ok
}

// Put sets key to a copy of value; it panics in a read-only transaction.
func (tx *Txn) Put(key string, value []byte) {
	if !tx.writable {
		panic("kv: Put in a read-only transaction")
	}
	tx.writes[key] = append([]byte(nil), value...)
}

// Scan calls fn with every key beginning with prefix and its value, in key
// order, until fn returns false.
func (tx *Txn) Scan(prefix string, fn func(key string, value []byte) bool) {
	seen := map[string]bool{}
	var keys []string
	for _, m := range []map[string][]byte{tx.writes, tx.kv.data} {
		for k := range m {
			if strings.HasPrefix(k, prefix) && !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		v, _ := tx.Get(k)
		if !fn(k, v) {
			return
		}
	}
}
