#pragma once
// Small helpers over the HDF5 C API, shared by the run file and the sweep file.
// Errors become exceptions (std::runtime_error naming what failed), handles close
// themselves, and every file follows one string convention:
//   - attributes and free-text datasets: variable-length UTF-8 (h5py gives str for
//     attributes, bytes for dataset elements unless read with .asstr());
//   - fixed-format short values such as ISO dates: fixed width, NUL-padded (h5py gives bytes).
// Internal to lokalmat::results (which links HDF5 privately); not installed.
#include <hdf5.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <type_traits>
#include <vector>

#include "results/file_seal.h"

namespace lokalmat::h5 {

// status < 0 / id < 0 -> std::runtime_error("HDF5 error: <what>")
void check(herr_t status, const char* what);
hid_t check_id(hid_t id, const char* what);

// an owned HDF5 handle closed with the right function
class Handle {
 public:
  Handle() = default;
  Handle(hid_t id, herr_t (*closer)(hid_t)) : id_(id), close_(closer) {}
  Handle(Handle&& o) noexcept : id_(o.id_), close_(o.close_) { o.id_ = -1; }
  Handle& operator=(Handle&& o) noexcept {
    reset();
    id_ = o.id_;
    close_ = o.close_;
    o.id_ = -1;
    return *this;
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  ~Handle() { reset(); }
  void reset() {
    if (id_ >= 0 && close_) close_(id_);
    id_ = -1;
  }
  [[nodiscard]] hid_t get() const { return id_; }
  // close now and report a failure: a file's last writes happen when it is closed
  void close(const char* what) {
    const hid_t id = id_;
    id_ = -1;
    if (id >= 0 && close_) check(close_(id), what);
  }

 private:
  hid_t id_ = -1;
  herr_t (*close_)(hid_t) = nullptr;
};

// the HDF5 memory type of a C++ number (the types our files use)
template <class T>
hid_t native_type() {
  if constexpr (std::is_same_v<T, double>) return H5T_NATIVE_DOUBLE;
  else if constexpr (std::is_same_v<T, std::int64_t>) return H5T_NATIVE_INT64;
  else if constexpr (std::is_same_v<T, std::uint64_t>) return H5T_NATIVE_UINT64;
  else if constexpr (std::is_same_v<T, std::int32_t>) return H5T_NATIVE_INT32;
  else static_assert(sizeof(T) == 0, "no HDF5 type for this C++ type");
}

// UTF-8 string type: size 0 = variable length, otherwise fixed width, NUL-padded
Handle string_type(std::size_t size);

// groups and datasets by name (opening one that is missing or of another kind throws
// ResultFileError naming it)
Handle create_group(hid_t parent, const std::string& name);
Handle open_group(hid_t parent, const std::string& name);
Handle open_dataset(hid_t parent, const std::string& name);
bool has_link(hid_t parent, const std::string& name);
// the names of a group's members, in name order
std::vector<std::string> link_names(hid_t group);
// a file-creation property list with the userblock every lokalmat file reserves for its seal
// (kSealBytes, results/file_seal.h): H5Fcreate(path, flags, h5::sealed_file_creation().get(), ...)
Handle sealed_file_creation();
// an existing file opened read-only, after its seal is verified (results/file_seal.h; the
// state found goes to *seal when given); throws ResultFileError or std::runtime_error naming the path
Handle open_file_read(const std::string& path, SealState* seal = nullptr);

// attributes (created; the object must not have one of that name yet)
void attr_string(hid_t obj, const char* name, const std::string& value);
void attr_strings(hid_t obj, const char* name, const std::vector<std::string>& values);
template <class T>
void attr_scalar(hid_t obj, const char* name, T value) {
  Handle space(check_id(H5Screate(H5S_SCALAR), name), H5Sclose);
  Handle a(check_id(H5Acreate2(obj, name, native_type<T>(), space.get(), H5P_DEFAULT, H5P_DEFAULT), name), H5Aclose);
  check(H5Awrite(a.get(), native_type<T>(), &value), name);
}

// ---- reading, checked: a reader says what it expects, and a file that is not so is refused
// with ResultFileError (results/file_seal.h) naming the object and what is wrong, before any
// value is read; so no reader indexes past what it checked.

// the extents a reader expects, one per dimension ({} = a scalar); kAny = any length
inline constexpr hsize_t kAny = static_cast<hsize_t>(-1);
using Extents = std::vector<hsize_t>;

// an object's path in its file, for messages ("/weekly/by_category"); a member's path
std::string object_path(hid_t obj);
std::string member_path(hid_t parent, const std::string& name);

// attributes read back: numbers of a compatible stored type (an integer for an integer, an
// integer or float for a double), strings fixed or variable length, each a single value
bool has_attr(hid_t obj, const char* name);
std::string read_attr_string(hid_t obj, const char* name);
// a list of strings; with count != kAny it must hold exactly that many
std::vector<std::string> read_attr_strings(hid_t obj, const char* name, hsize_t count = kAny);
// the stored value of a single-number attribute, into `out` (T as native_type())
void read_attr_number(hid_t obj, const char* name, hid_t mem_type, bool integer, void* out);
template <class T>
T read_attr_scalar(hid_t obj, const char* name) {
  T value{};
  read_attr_number(obj, name, native_type<T>(), !std::is_floating_point_v<T>, &value);
  return value;
}

// A new dataset of shape dims (rank 1 or 2; a zero extent is allowed and reads as an
// empty array), written from data (row-major, product(dims) values). compress: chunked
// by blocks of rows and deflated, for large tables (ignored when the dataset is empty).
Handle write_dataset(hid_t parent, const std::string& name, hid_t mem_type, const std::vector<hsize_t>& dims,
                     const void* data, bool compress = false);
template <class T>
Handle write_dataset(hid_t parent, const std::string& name, const std::vector<hsize_t>& dims, const T* data,
                     bool compress = false) {
  return write_dataset(parent, name, native_type<T>(), dims, data, compress);
}
// [n] strings: fixed_size 0 = variable-length UTF-8, else fixed width (longer values are cut)
Handle write_strings(hid_t parent, const std::string& name, const std::vector<std::string>& values,
                     std::size_t fixed_size = 0);

// A whole numeric dataset: it must exist, be a dataset of `expected` extents (rank and each
// extent but kAny) and of T's kind (float64/float32 for double; for an integer type the same
// width and signedness). dims receives its shape when given.
template <class T>
std::vector<T> read_dataset(hid_t parent, const std::string& name, const Extents& expected,
                            std::vector<hsize_t>* dims = nullptr);
// ... of any rank and extents (the caller checks dims)
template <class T>
std::vector<T> read_dataset(hid_t parent, const std::string& name, std::vector<hsize_t>* dims = nullptr);
// a whole string dataset (fixed or variable length) of `expected` extents, flattened
std::vector<std::string> read_strings(hid_t parent, const std::string& name, const Extents& expected = {kAny});

}  // namespace lokalmat::h5
