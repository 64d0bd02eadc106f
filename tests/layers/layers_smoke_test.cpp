#include <gtest/gtest.h>

#include <gdal.h>

// The layers suite links GDAL: the drivers every reader and writer relies on exist.
TEST(GdalDrivers, GeoPackageGeoJsonCsvAndGTiffAreAvailable) {
  GDALAllRegister();
  for (const char* name : {"GPKG", "GeoJSON", "CSV", "GTiff", "ESRI Shapefile"})
    EXPECT_NE(GDALGetDriverByName(name), nullptr) << name;
}
