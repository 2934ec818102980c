#include "results/h5_memory_file.h"

#include "results/file_seal.h"

#include <atomic>
#include <span>
#include <stdexcept>
#include <utility>

namespace lokalmat::h5 {

namespace {

constexpr std::size_t kGrowBytes = 4 << 20;  // the core driver's allocation step, bytes

// every file has its own name: HDF5 refuses to open one name twice
std::string memory_name() {
  static std::atomic<unsigned long> next{0};
  return "lokalmat-memory-" + std::to_string(next.fetch_add(1)) + ".h5";
}

Handle memory_access_plist() {
  Handle fapl(check_id(H5Pcreate(H5P_FILE_ACCESS), "file access list"), H5Pclose);
  check(H5Pset_fapl_core(fapl.get(), kGrowBytes, 0), "core driver");  // 0: no backing store, never on disk
  check(H5Pset_fclose_degree(fapl.get(), H5F_CLOSE_STRONG), "close degree");
  return fapl;
}

}  // namespace

Handle file_creation_plist() { return sealed_file_creation(); }

MemoryFile MemoryFile::create() {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);  // errors become exceptions, not stderr noise
  const Handle fcpl = file_creation_plist();
  const Handle fapl = memory_access_plist();
  MemoryFile f;
  f.file_ = Handle(check_id(H5Fcreate(memory_name().c_str(), H5F_ACC_EXCL, fcpl.get(), fapl.get()), "create a file"),
                   H5Fclose);
  return f;
}

MemoryFile MemoryFile::open(std::string_view bytes, const std::string& name) {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  const Handle fapl = memory_access_plist();
  // HDF5 copies the image into its own buffer
  check(H5Pset_file_image(fapl.get(), const_cast<char*>(bytes.data()), bytes.size()), "file image");
  MemoryFile f;
  const hid_t id = H5Fopen(memory_name().c_str(), H5F_ACC_RDWR, fapl.get());
  if (id < 0) throw std::runtime_error("cannot open '" + name + "' as an HDF5 file");
  f.file_ = Handle(id, H5Fclose);
  return f;
}

std::string MemoryFile::image() const {
  check(H5Fflush(file_.get(), H5F_SCOPE_GLOBAL), "flush");
  const ssize_t size = H5Fget_file_image(file_.get(), nullptr, 0);
  check(size < 0 ? -1 : 0, "file image size");
  std::string bytes(static_cast<std::size_t>(size), '\0');
  check(H5Fget_file_image(file_.get(), bytes.data(), bytes.size()) == size ? 0 : -1, "file image");
  return bytes;
}

void MemoryFile::close() { file_.close("close the file"); }

void write_image(const std::string& path, std::string image, const OutputRules& rules, Seal seal) {
  OutputFile out(path, rules);
  if (seal == Seal::yes) {
    // HDF5's image leaves the userblock out: sealed_file_bytes puts it in front and seals it
    const std::vector<std::byte> sealed = sealed_file_bytes(std::as_bytes(std::span(image.data(), image.size())));
    image = std::string();  // the sealed copy is the one on its way to the disk: free this one
    out.write(std::string_view(reinterpret_cast<const char*>(sealed.data()), sealed.size()));
  } else {
    out.write(image);
    image = std::string();
  }
  out.commit();
}

}  // namespace lokalmat::h5
