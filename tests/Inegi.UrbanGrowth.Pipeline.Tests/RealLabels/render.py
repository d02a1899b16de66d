import numpy as np
from osgeo import gdal
import sys
def load(name):
    if name=='canberra':
        d='/work/shared/data/canberra-ls5-nbar/LS5_TM_NBAR_P54_GANBAR01-002_090_084_19920323_'
        arr=np.stack([gdal.Open(d+b+'.tif').ReadAsArray().astype(float) for b in ['B10','B20','B30','B40','B50','B70']])
        nd=-999; ds=gdal.Open(d+'B10.tif')
    else:
        ds=gdal.Open('/work/shared/data/portovelho-ls8-sr/LC08_232066_20190727.tif')
        arr=ds.ReadAsArray().astype(float); nd=-9999
    gt=ds.GetGeoTransform()
    mask=(arr[0]==nd)
    return arr/10000.0, mask, gt
def stretch(x, lo, hi):
    return np.clip((x-lo)/(hi-lo)*255,0,255)
def render(name, kind, scale=3):
    arr,mask,gt=load(name)
    if kind=='true': bands=[2,1,0]
    else: bands=[4,3,2]  # swir1,nir,red
    img=[]
    for b in bands:
        v=arr[b][~mask]; lo,hi=np.percentile(v,2),np.percentile(v,98)
        img.append(stretch(arr[b],lo,hi))
    img=np.stack(img).astype(np.uint8)
    img=np.repeat(np.repeat(img,scale,1),scale,2)
    cell=1000/gt[1]
    H,W=img.shape[1:]
    ncol=int(np.floor(arr.shape[2]*gt[1]/1000)); nrow=int(np.floor(arr.shape[1]*gt[1]/1000))
    for c in range(ncol+1):
        x=int(round(c*cell*scale)); 
        if x<W: img[:,:,x]=[[255],[255],[0]] if c%5 else [[255],[0],[0]]
    for r in range(nrow+1):
        y=int(round(r*cell*scale))
        if y<H: img[:,y,:]=[[255],[255],[0]] if r%5 else [[255],[0],[0]]
    drv=gdal.GetDriverByName('MEM'); m=drv.Create('',W,H,3,gdal.GDT_Byte)
    for i in range(3): m.GetRasterBand(i+1).WriteArray(img[i])
    gdal.GetDriverByName('PNG').CreateCopy(f'{name}_{kind}.png',m)
    print(name,kind,ncol,nrow,W,H)
import sys
for n in (sys.argv[1:] or ["canberra","portovelho"]):
    for k in ['true','false']: render(n,k)
