from osgeo import gdal
import sys
name,kind,c0,r0,c1,r1,cellpx=sys.argv[1],sys.argv[2],*map(float,sys.argv[3:8]),
ds=gdal.Open(f'{name}_{kind}.png')
s=3
x0=int(c0*cellpx*s); y0=int(r0*cellpx*s); x1=min(ds.RasterXSize,int(c1*cellpx*s)); y1=min(ds.RasterYSize,int(r1*cellpx*s))
gdal.Translate(f'{name}_{kind}_{int(c0)}_{int(r0)}.png',ds,srcWin=[x0,y0,x1-x0,y1-y0],format='PNG')
