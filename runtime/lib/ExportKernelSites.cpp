//===- ExportKernelSites.cpp - Kernel-site tables for exported code ------===//
//
// Apart from ExportedModel.cpp so that a static link pulls it, and with it
// oneDNN, only into a library whose programs call the oneDNN kernels.
//
//===----------------------------------------------------------------------===//

#include "aenet/Runtime/ExportAbi.h"
#include "aenet/Runtime/KernelAbi.h"

extern "C" {

void *aenet_export_new_kernel_sites(int64_t count) {
  return new aenet::rt::KernelSites(count);
}

void aenet_export_free_kernel_sites(void *sites) {
  delete static_cast<aenet::rt::KernelSites *>(sites);
}

} // extern "C"
