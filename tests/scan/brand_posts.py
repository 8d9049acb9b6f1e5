"""Realistic brand-account copy (written for these tests) that must not read as personal voice."""

from __future__ import annotations

BRAND_POSTS_ID = [
    "Promo spesial akhir pekan! Diskon 30% untuk semua menu kopi susu gula aren di outlet terdekat. Yuk mampir!",
    "Halo Kak, mohon maaf atas ketidaknyamanannya. Boleh DM nomor pesanannya ya, tim kami bantu cek segera 🙏",
    "Selamat Hari Raya Idul Fitri 1446 H. Mohon maaf lahir dan batin dari seluruh keluarga besar Kopi Kita.",
    "Selamat Natal dan Tahun Baru! Terima kasih sudah menemani perjalanan kami sepanjang tahun ini 🎄",
    "Produk baru telah hadir! Cold brew botol 250 ml kini tersedia di semua gerai mulai Rp25.000.",
    "Hai Kak Rina, terima kasih atas masukannya. Kami akan sampaikan ke tim outlet agar pelayanan lebih baik lagi.",
    "Jam operasional selama libur Lebaran: 08.00–20.00 WIB. Pesan antar tetap tersedia lewat aplikasi.",
    "Gratis ongkir untuk pembelian minimal Rp100.000 sampai 31 Mei. Syarat dan ketentuan berlaku.",
    "Mohon maaf, pesanan Kakak sedang dalam pengiriman dan diperkirakan tiba besok siang. Terima kasih sudah menunggu.",
    "Dirgahayu Republik Indonesia ke-80! Merdeka! 🇮🇩",
    "Kami sedang membuka lowongan barista untuk outlet Bandung. Kirim CV ke karir@kopikita.co.id ya.",
    "Selamat menunaikan ibadah puasa Ramadan. Menu sahur spesial tersedia mulai pukul 02.00.",
    "Terima kasih 1 juta pengikut! Ada kejutan untuk kalian minggu depan, pantau terus ya.",
    "Info: aplikasi sedang dalam pemeliharaan pukul 01.00–03.00 WIB. Mohon maaf atas ketidaknyamanannya.",
    "Kak, untuk pengembalian dana silakan isi formulir di tautan berikut, proses 3–5 hari kerja ya.",
    "Resep rahasia kami sederhana: biji kopi pilihan dari petani Gayo dan disangrai setiap hari.",
    "Yuk ikut kelas seduh manual gratis hari Sabtu di outlet Kemang! Kuota terbatas, daftar lewat tautan di bio.",
]
BRAND_POSTS_EN = [
    "We're so excited to launch our new cold brew this Friday. See you at the store!",
    "Hi Sarah, we're sorry to hear about your order. Please DM us your order number and we'll sort it out.",
    "Happy holidays from all of us! Thank you for an amazing year together.",
    "Our summer collection is here. Shop now and enjoy free shipping on orders over $50.",
    "Thanks for the kind words, Mike! We'll pass them on to the team at our downtown store.",
    "Heads up: our app will be down for maintenance tonight from 1 to 3 AM. Thanks for your patience.",
    "Meet Ana, our head roaster, who has been perfecting this blend for three years.",
    "We're hiring! Join our team of baristas in Jakarta. Apply through the link in our bio.",
    "Happy Lunar New Year! Wishing you a year of health, joy and great coffee.",
    "Our stores will close early on Christmas Eve at 6 PM. Order ahead in the app.",
    "Hi there, I'm Rina from the care team. I've checked your ticket and a replacement is on its way.",
    "Sorry for the wait! We're experiencing high volumes today and will reply as soon as we can.",
    "New flavour alert: salted caramel latte is back for a limited time!",
    "Congratulations to the winners of our latte art competition. See the full results on our website.",
    "We take your privacy seriously. Read our updated privacy policy on our website.",
]
