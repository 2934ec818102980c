#include "results/h5_util.h"

#include <algorithm>
#include <cstring>
#include <functional>
#include <limits>
#include <stdexcept>

namespace lokalmat::h5 {

void check(herr_t status, const char* what) {
  if (status < 0) throw std::runtime_error(std::string("HDF5 error: ") + what);
}

hid_t check_id(hid_t id, const char* what) {
  if (id < 0) throw std::runtime_error(std::string("HDF5 error: ") + what);
  return id;
}

Handle string_type(std::size_t size) {
  Handle t(check_id(H5Tcopy(H5T_C_S1), "copy string type"), H5Tclose);
  if (size == 0) check(H5Tset_size(t.get(), H5T_VARIABLE), "variable string");
  else {
    check(H5Tset_size(t.get(), size), "string size");
    check(H5Tset_strpad(t.get(), H5T_STR_NULLPAD), "string padding");  // fixed width, no terminator needed
  }
  check(H5Tset_cset(t.get(), H5T_CSET_UTF8), "utf8");
  return t;
}

Handle create_group(hid_t parent, const std::string& name) {
  return {check_id(H5Gcreate2(parent, name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), name.c_str()), H5Gclose};
}

bool has_link(hid_t parent, const std::string& name) { return H5Lexists(parent, name.c_str(), H5P_DEFAULT) > 0; }

namespace {

// a member that must exist and be an object of this kind
void expect_object(hid_t parent, const std::string& name, H5O_type_t type, const char* kind) {
  H5O_info_t info;
  if (!has_link(parent, name) || H5Oget_info_by_name(parent, name.c_str(), &info, H5P_DEFAULT) < 0)
    throw ResultFileError(member_path(parent, name) + " is missing");
  if (info.type != type) throw ResultFileError(member_path(parent, name) + " is not a " + kind);
}

}  // namespace

Handle open_group(hid_t parent, const std::string& name) {
  expect_object(parent, name, H5O_TYPE_GROUP, "group");
  return {check_id(H5Gopen2(parent, name.c_str(), H5P_DEFAULT), name.c_str()), H5Gclose};
}

Handle open_dataset(hid_t parent, const std::string& name) {
  expect_object(parent, name, H5O_TYPE_DATASET, "dataset");
  return {check_id(H5Dopen2(parent, name.c_str(), H5P_DEFAULT), name.c_str()), H5Dclose};
}

std::string object_path(hid_t obj) {
  const ssize_t n = H5Iget_name(obj, nullptr, 0);
  if (n <= 0) return "?";
  std::string s(static_cast<std::size_t>(n), '\0');
  H5Iget_name(obj, s.data(), s.size() + 1);
  return s;
}

std::string member_path(hid_t parent, const std::string& name) {
  const std::string p = object_path(parent);
  return p == "/" ? "/" + name : p + "/" + name;
}

std::vector<std::string> link_names(hid_t group) {
  H5G_info_t info;
  check(H5Gget_info(group, &info), "group info");
  std::vector<std::string> names;
  for (hsize_t i = 0; i < info.nlinks; ++i) {
    const ssize_t n = H5Lget_name_by_idx(group, ".", H5_INDEX_NAME, H5_ITER_INC, i, nullptr, 0, H5P_DEFAULT);
    check(static_cast<herr_t>(n < 0 ? -1 : 0), "link name");
    std::string name(static_cast<std::size_t>(n), '\0');
    check(static_cast<herr_t>(H5Lget_name_by_idx(group, ".", H5_INDEX_NAME, H5_ITER_INC, i, name.data(), name.size() + 1,
                                                 H5P_DEFAULT) < 0
                                  ? -1
                                  : 0),
          "link name");
    names.push_back(std::move(name));
  }
  return names;
}

Handle sealed_file_creation() {
  Handle fcpl(check_id(H5Pcreate(H5P_FILE_CREATE), "file creation properties"), H5Pclose);
  check(H5Pset_userblock(fcpl.get(), kSealBytes), "userblock for the seal");
  return fcpl;
}

Handle open_file_read(const std::string& path, SealState* seal) {
  // the seal first: HDF5 must not read a byte of a damaged file (results/file_seal.h)
  const SealState state = verify_seal(path);
  if (seal) *seal = state;
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);  // errors become exceptions, not stderr noise
  const hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (f < 0) throw ResultFileError(path + ": not a readable HDF5 file");
  return Handle(f, H5Fclose);
}

void attr_string(hid_t obj, const char* name, const std::string& value) {
  Handle type = string_type(0);
  Handle space(check_id(H5Screate(H5S_SCALAR), name), H5Sclose);
  Handle a(check_id(H5Acreate2(obj, name, type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT), name), H5Aclose);
  const char* p = value.c_str();
  check(H5Awrite(a.get(), type.get(), &p), name);
}

void attr_strings(hid_t obj, const char* name, const std::vector<std::string>& values) {
  Handle type = string_type(0);
  const hsize_t n = values.size();
  Handle space(check_id(H5Screate_simple(1, &n, nullptr), name), H5Sclose);
  Handle a(check_id(H5Acreate2(obj, name, type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT), name), H5Aclose);
  std::vector<const char*> ptrs;
  for (const auto& v : values) ptrs.push_back(v.c_str());
  if (!ptrs.empty()) check(H5Awrite(a.get(), type.get(), ptrs.data()), name);
}

bool has_attr(hid_t obj, const char* name) { return H5Aexists(obj, name) > 0; }

namespace {

std::string extents_text(const std::vector<hsize_t>& d) {
  if (d.empty()) return "a scalar";
  std::string s = "[";
  for (std::size_t i = 0; i < d.size(); ++i)
    s += (i ? " x " : "") + (d[i] == kAny ? std::string("any") : std::to_string(d[i]));
  return s + "]";
}

// the shape of a dataspace; `what` names the object for messages. A null dataspace (no
// elements at all) and overflowing extents are refused.
std::vector<hsize_t> shape_of(hid_t space, const std::string& what) {
  const H5S_class_t cls = H5Sget_simple_extent_type(space);
  if (cls != H5S_SCALAR && cls != H5S_SIMPLE) throw ResultFileError(what + " has no values (a null dataspace)");
  const int rank = H5Sget_simple_extent_ndims(space);
  if (rank < 0 || rank > H5S_MAX_RANK) throw ResultFileError(what + " has an unreadable shape");
  std::vector<hsize_t> d(static_cast<std::size_t>(rank));
  if (rank > 0 && H5Sget_simple_extent_dims(space, d.data(), nullptr) < 0)
    throw ResultFileError(what + " has an unreadable shape");
  hsize_t n = 1;
  for (hsize_t x : d) {
    if (x != 0 && n > std::numeric_limits<hsize_t>::max() / 64 / x)
      throw ResultFileError(what + " is " + extents_text(d) + ": too large to be a lokalmat table");
    n *= x;
  }
  return d;
}

hsize_t product(const std::vector<hsize_t>& d) {
  hsize_t n = 1;
  for (hsize_t x : d) n *= x;
  return n;
}

// the shape of a dataspace against what a reader expects
void expect_extents(const std::vector<hsize_t>& have, const Extents& want, const std::string& what) {
  bool ok = have.size() == want.size();
  for (std::size_t i = 0; ok && i < want.size(); ++i) ok = want[i] == kAny || want[i] == have[i];
  if (!ok) throw ResultFileError(what + " is " + extents_text(have) + ", expected " + extents_text(want));
}

// a stored number type against the C++ type it is read into
void expect_number_type(hid_t stored, hid_t mem, bool integer, const std::string& what) {
  const H5T_class_t cls = H5Tget_class(stored);
  if (integer) {
    if (cls != H5T_INTEGER || H5Tget_size(stored) != H5Tget_size(mem) || H5Tget_sign(stored) != H5Tget_sign(mem))
      throw ResultFileError(what + " is not of the integer type lokalmat writes there (" +
                            std::to_string(8 * H5Tget_size(mem)) + "-bit " +
                            (H5Tget_sign(mem) == H5T_SGN_NONE ? "unsigned" : "signed") + ")");
  } else if (cls != H5T_FLOAT && cls != H5T_INTEGER) {
    throw ResultFileError(what + " is not a number");
  }
}

// n strings stored with `stored` type, read through `read(mem_type, buffer)` (an attribute
// or a dataset): variable-length strings come back as char* that HDF5 allocated and we free
std::vector<std::string> read_string_values(hid_t stored, hsize_t n, const std::string& what,
                                            const std::function<herr_t(hid_t, void*)>& read) {
  if (H5Tget_class(stored) != H5T_STRING) throw ResultFileError(what + " is not text");
  std::vector<std::string> out;
  if (n == 0) return out;
  // same character set as stored: HDF5 does not convert between ASCII and UTF-8
  const bool variable = H5Tis_variable_str(stored) > 0;
  const std::size_t width = variable ? 0 : H5Tget_size(stored);
  if (!variable && (width == 0 || n > std::numeric_limits<std::size_t>::max() / 64 / width))
    throw ResultFileError(what + " has an impossible string width");
  Handle mem = string_type(width);
  check(H5Tset_cset(mem.get(), H5Tget_cset(stored)), what.c_str());
  if (variable) {
    std::vector<char*> ptrs(n, nullptr);
    check(read(mem.get(), ptrs.data()), what.c_str());
    for (char* p : ptrs) out.emplace_back(p ? p : "");
    Handle space(check_id(H5Screate_simple(1, &n, nullptr), what.c_str()), H5Sclose);
    H5Dvlen_reclaim(mem.get(), space.get(), H5P_DEFAULT, ptrs.data());
  } else {
    std::vector<char> buf(n * width);
    check(read(mem.get(), buf.data()), what.c_str());
    for (hsize_t i = 0; i < n; ++i) {
      const char* p = buf.data() + i * width;
      out.emplace_back(p, strnlen(p, width));  // NUL-padded (or terminated) to the width
    }
  }
  return out;
}

// an attribute that must exist; `what` is its description for messages
Handle open_attr(hid_t obj, const char* name, std::string* what) {
  *what = "attribute '" + std::string(name) + "' of " + object_path(obj);
  if (!has_attr(obj, name)) throw ResultFileError(*what + " is missing");
  return {check_id(H5Aopen(obj, name, H5P_DEFAULT), name), H5Aclose};
}

std::vector<std::string> read_attr_string_values(hid_t obj, const char* name, const Extents& expected) {
  std::string what;
  Handle a = open_attr(obj, name, &what);
  Handle type(check_id(H5Aget_type(a.get()), name), H5Tclose);
  Handle space(check_id(H5Aget_space(a.get()), name), H5Sclose);
  std::vector<hsize_t> d = shape_of(space.get(), what);
  if (d.empty()) d = {1};  // a scalar attribute is one value
  expect_extents(d, expected, what);
  return read_string_values(type.get(), product(d), what,
                            [&](hid_t mem, void* buf) { return H5Aread(a.get(), mem, buf); });
}

}  // namespace

std::string read_attr_string(hid_t obj, const char* name) {
  return read_attr_string_values(obj, name, {1}).front();
}

std::vector<std::string> read_attr_strings(hid_t obj, const char* name, hsize_t count) {
  return read_attr_string_values(obj, name, {count});
}

void read_attr_number(hid_t obj, const char* name, hid_t mem_type, bool integer, void* out) {
  std::string what;
  Handle a = open_attr(obj, name, &what);
  Handle type(check_id(H5Aget_type(a.get()), name), H5Tclose);
  Handle space(check_id(H5Aget_space(a.get()), name), H5Sclose);
  if (product(shape_of(space.get(), what)) != 1) throw ResultFileError(what + " is not a single number");
  expect_number_type(type.get(), mem_type, integer, what);
  check(H5Aread(a.get(), mem_type, out), name);
}

Handle write_dataset(hid_t parent, const std::string& name, hid_t mem_type, const std::vector<hsize_t>& dims,
                     const void* data, bool compress) {
  const char* what = name.c_str();
  const int rank = static_cast<int>(dims.size());
  Handle space(check_id(H5Screate_simple(rank, dims.data(), nullptr), what), H5Sclose);
  Handle plist(check_id(H5Pcreate(H5P_DATASET_CREATE), what), H5Pclose);
  const bool empty = std::find(dims.begin(), dims.end(), hsize_t{0}) != dims.end();
  if (compress && !empty) {
    // blocks of up to 64 rows, whole along the other axes (as the run file's series)
    std::vector<hsize_t> chunk = dims;
    chunk[0] = std::min<hsize_t>(dims[0], 64);
    check(H5Pset_chunk(plist.get(), rank, chunk.data()), what);
    check(H5Pset_deflate(plist.get(), 4), what);
  }
  // the file type is the memory type: all our numbers are little-endian native types
  Handle d(check_id(H5Dcreate2(parent, what, mem_type, space.get(), H5P_DEFAULT, plist.get(), H5P_DEFAULT), what),
           H5Dclose);
  if (!empty) check(H5Dwrite(d.get(), mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), what);
  return d;
}

Handle write_strings(hid_t parent, const std::string& name, const std::vector<std::string>& values,
                     std::size_t fixed_size) {
  Handle type = string_type(fixed_size);
  const std::vector<hsize_t> dims{values.size()};
  if (fixed_size == 0) {
    std::vector<const char*> ptrs;
    for (const auto& v : values) ptrs.push_back(v.c_str());
    return write_dataset(parent, name, type.get(), dims, ptrs.data());
  }
  std::vector<char> buf(values.size() * fixed_size, '\0');
  for (std::size_t i = 0; i < values.size(); ++i)
    std::memcpy(buf.data() + i * fixed_size, values[i].data(), std::min(fixed_size, values[i].size()));
  return write_dataset(parent, name, type.get(), dims, buf.data());
}

namespace {

// a numeric dataset's values, after its shape and type are checked
template <class T>
std::vector<T> read_checked(hid_t parent, const std::string& name, const Extents* expected,
                            std::vector<hsize_t>* dims) {
  const std::string what = member_path(parent, name);
  Handle d = open_dataset(parent, name);
  Handle space(check_id(H5Dget_space(d.get()), name.c_str()), H5Sclose);
  Handle type(check_id(H5Dget_type(d.get()), name.c_str()), H5Tclose);
  const std::vector<hsize_t> shape = shape_of(space.get(), what);
  if (expected) expect_extents(shape, *expected, what);
  expect_number_type(type.get(), native_type<T>(), !std::is_floating_point_v<T>, what);
  std::vector<T> out(product(shape));
  if (!out.empty()) check(H5Dread(d.get(), native_type<T>(), H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()), what.c_str());
  if (dims) *dims = shape;
  return out;
}

}  // namespace

template <class T>
std::vector<T> read_dataset(hid_t parent, const std::string& name, const Extents& expected, std::vector<hsize_t>* dims) {
  return read_checked<T>(parent, name, &expected, dims);
}
template <class T>
std::vector<T> read_dataset(hid_t parent, const std::string& name, std::vector<hsize_t>* dims) {
  return read_checked<T>(parent, name, nullptr, dims);
}
#define LOKALMAT_READ_DATASET(T)                                                                 \
  template std::vector<T> read_dataset(hid_t, const std::string&, const Extents&, std::vector<hsize_t>*); \
  template std::vector<T> read_dataset(hid_t, const std::string&, std::vector<hsize_t>*);
LOKALMAT_READ_DATASET(double)
LOKALMAT_READ_DATASET(std::int64_t)
LOKALMAT_READ_DATASET(std::uint64_t)
LOKALMAT_READ_DATASET(std::int32_t)
#undef LOKALMAT_READ_DATASET

std::vector<std::string> read_strings(hid_t parent, const std::string& name, const Extents& expected) {
  const std::string what = member_path(parent, name);
  Handle d = open_dataset(parent, name);
  Handle type(check_id(H5Dget_type(d.get()), name.c_str()), H5Tclose);
  Handle space(check_id(H5Dget_space(d.get()), name.c_str()), H5Sclose);
  const std::vector<hsize_t> shape = shape_of(space.get(), what);
  expect_extents(shape, expected, what);
  return read_string_values(type.get(), product(shape), what, [&](hid_t mem, void* buf) {
    return H5Dread(d.get(), mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf);
  });
}

}  // namespace lokalmat::h5
