#include "results/h5_util.h"

#include <algorithm>
#include <cstring>
#include <functional>
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

Handle open_group(hid_t parent, const std::string& name) {
  return {check_id(H5Gopen2(parent, name.c_str(), H5P_DEFAULT), name.c_str()), H5Gclose};
}

Handle open_dataset(hid_t parent, const std::string& name) {
  return {check_id(H5Dopen2(parent, name.c_str(), H5P_DEFAULT), name.c_str()), H5Dclose};
}

bool has_link(hid_t parent, const std::string& name) { return H5Lexists(parent, name.c_str(), H5P_DEFAULT) > 0; }

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

Handle open_file_read(const std::string& path) {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);  // errors become exceptions, not stderr noise
  const hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (f < 0) throw std::runtime_error("cannot open '" + path + "' as an HDF5 file");
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

// elements in a dataspace
hsize_t element_count(hid_t space, std::vector<hsize_t>* dims) {
  const int rank = H5Sget_simple_extent_ndims(space);
  check(rank, "dataspace rank");
  std::vector<hsize_t> d(static_cast<std::size_t>(rank));
  if (rank > 0) check(H5Sget_simple_extent_dims(space, d.data(), nullptr), "dataspace dims");
  hsize_t n = 1;
  for (hsize_t x : d) n *= x;
  if (dims) *dims = d;
  return n;
}

// n strings stored with `stored` type, read through `read(mem_type, buffer)` (an attribute
// or a dataset): variable-length strings come back as char* that HDF5 allocated and we free
std::vector<std::string> read_string_values(hid_t stored, hsize_t n, const char* what,
                                            const std::function<herr_t(hid_t, void*)>& read) {
  if (H5Tget_class(stored) != H5T_STRING) throw std::runtime_error(std::string("HDF5: ") + what + " is not a string");
  std::vector<std::string> out;
  if (n == 0) return out;
  // same character set as stored: HDF5 does not convert between ASCII and UTF-8
  const bool variable = H5Tis_variable_str(stored) > 0;
  const std::size_t width = variable ? 0 : H5Tget_size(stored);
  Handle mem = string_type(width);
  check(H5Tset_cset(mem.get(), H5Tget_cset(stored)), what);
  if (variable) {
    std::vector<char*> ptrs(n, nullptr);
    check(read(mem.get(), ptrs.data()), what);
    for (char* p : ptrs) out.emplace_back(p ? p : "");
    Handle space(check_id(H5Screate_simple(1, &n, nullptr), what), H5Sclose);
    H5Dvlen_reclaim(mem.get(), space.get(), H5P_DEFAULT, ptrs.data());
  } else {
    std::vector<char> buf(n * width);
    check(read(mem.get(), buf.data()), what);
    for (hsize_t i = 0; i < n; ++i) {
      const char* p = buf.data() + i * width;
      out.emplace_back(p, strnlen(p, width));  // NUL-padded (or terminated) to the width
    }
  }
  return out;
}

std::vector<std::string> read_attr_string_values(hid_t obj, const char* name) {
  Handle a(check_id(H5Aopen(obj, name, H5P_DEFAULT), name), H5Aclose);
  Handle type(check_id(H5Aget_type(a.get()), name), H5Tclose);
  Handle space(check_id(H5Aget_space(a.get()), name), H5Sclose);
  return read_string_values(type.get(), element_count(space.get(), nullptr), name,
                            [&](hid_t mem, void* buf) { return H5Aread(a.get(), mem, buf); });
}

}  // namespace

std::string read_attr_string(hid_t obj, const char* name) {
  auto v = read_attr_string_values(obj, name);
  if (v.size() != 1) throw std::runtime_error(std::string("HDF5: attribute ") + name + " is not one string");
  return v.front();
}

std::vector<std::string> read_attr_strings(hid_t obj, const char* name) { return read_attr_string_values(obj, name); }

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

template <class T>
std::vector<T> read_dataset(hid_t parent, const std::string& name, std::vector<hsize_t>* dims) {
  Handle d = open_dataset(parent, name);
  Handle space(check_id(H5Dget_space(d.get()), name.c_str()), H5Sclose);
  std::vector<T> out(element_count(space.get(), dims));
  if (!out.empty()) check(H5Dread(d.get(), native_type<T>(), H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()), name.c_str());
  return out;
}
template std::vector<double> read_dataset(hid_t, const std::string&, std::vector<hsize_t>*);
template std::vector<std::int64_t> read_dataset(hid_t, const std::string&, std::vector<hsize_t>*);
template std::vector<std::uint64_t> read_dataset(hid_t, const std::string&, std::vector<hsize_t>*);
template std::vector<std::int32_t> read_dataset(hid_t, const std::string&, std::vector<hsize_t>*);

std::vector<std::string> read_strings(hid_t parent, const std::string& name) {
  Handle d = open_dataset(parent, name);
  Handle type(check_id(H5Dget_type(d.get()), name.c_str()), H5Tclose);
  Handle space(check_id(H5Dget_space(d.get()), name.c_str()), H5Sclose);
  return read_string_values(type.get(), element_count(space.get(), nullptr), name.c_str(), [&](hid_t mem, void* buf) {
    return H5Dread(d.get(), mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf);
  });
}

}  // namespace lokalmat::h5
