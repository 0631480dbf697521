// Command etcd is upstream etcd's own entry point (go.etcd.io/etcd/server/v3/etcdmain), built at
// the etcd version k8s.io/kubernetes requires, so the test stack needs no prebuilt download.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
