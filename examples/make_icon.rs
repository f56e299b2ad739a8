//! Draws Folio's app icon (`assets/folio.png`, 256×256): a rounded teal tile with a
//! stack of three pages, the front one with text lines. Run once with
//! `cargo run --example make_icon`; the PNG is committed so builds need nothing.

use image::{Rgba, RgbaImage};

const SIZE: u32 = 256;

fn rounded_rect(img: &mut RgbaImage, x0: f32, y0: f32, x1: f32, y1: f32, r: f32, c: [u8; 4]) {
    for y in 0..SIZE {
        for x in 0..SIZE {
            let (px, py) = (x as f32 + 0.5, y as f32 + 0.5);
            let qx = (x0 + r - px).max(px - (x1 - r)).max(0.0);
            let qy = (y0 + r - py).max(py - (y1 - r)).max(0.0);
            let outside = (qx * qx + qy * qy).sqrt() - r;
            let inside_x = px >= x0 && px <= x1 && py >= y0 && py <= y1;
            let coverage = if inside_x {
                (0.5 - outside).clamp(0.0, 1.0)
            } else {
                0.0
            };
            if coverage > 0.0 {
                let dst = img.get_pixel_mut(x, y);
                let a = coverage * f32::from(c[3]) / 255.0;
                for (d, s) in dst.0.iter_mut().zip(c).take(3) {
                    *d = (f32::from(s) * a + f32::from(*d) * (1.0 - a)) as u8;
                }
                dst.0[3] = (255.0 * a + f32::from(dst.0[3]) * (1.0 - a)) as u8;
            }
        }
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut img = RgbaImage::from_pixel(SIZE, SIZE, Rgba([0, 0, 0, 0]));
    rounded_rect(&mut img, 8.0, 8.0, 248.0, 248.0, 48.0, [24, 120, 128, 255]);
    rounded_rect(
        &mut img,
        84.0,
        44.0,
        204.0,
        200.0,
        10.0,
        [170, 214, 214, 255],
    );
    rounded_rect(
        &mut img,
        68.0,
        52.0,
        188.0,
        208.0,
        10.0,
        [214, 236, 236, 255],
    );
    rounded_rect(
        &mut img,
        52.0,
        60.0,
        172.0,
        216.0,
        10.0,
        [255, 255, 255, 255],
    );
    rounded_rect(&mut img, 70.0, 82.0, 154.0, 96.0, 5.0, [24, 120, 128, 255]);
    for (i, width) in [76.0, 84.0, 64.0, 80.0, 52.0].iter().enumerate() {
        let y = 112.0 + i as f32 * 18.0;
        rounded_rect(
            &mut img,
            70.0,
            y,
            70.0 + width,
            y + 7.0,
            3.5,
            [150, 170, 172, 255],
        );
    }
    img.save("assets/folio.png")?;
    Ok(())
}
