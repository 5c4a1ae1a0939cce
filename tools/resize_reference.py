"""Prints Pillow's antialiased bilinear resize of the 7x5 ramp used in PreprocessingTest.

Run with Debian's /usr/bin/python3 (python3-pil); the printed numbers are pasted into
src/test/java/org/bonexray/data/image/PreprocessingTest.java (pillowReference).
"""
import numpy as np
from PIL import Image

ramp = (np.arange(35, dtype=np.float32).reshape(5, 7) ** 1.5) / (34 ** 1.5)
print(np.array(Image.fromarray(ramp, mode="F").resize((3, 4), Image.BILINEAR)).tolist())
