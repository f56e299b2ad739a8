//! Place names the news rule recognizes: China's provincial-level divisions, its larger
//! cities and the countries news most often names.
//!
//! A list rather than a model: daily template posts ("0！北京昨日本土无新增") swap exactly
//! these names (and scopes: 全国 for a province's name in a statistics release), and a list keeps the rule explainable. Names ending in 区 or 县 need not be
//! listed: [`super::facts`] takes any two characters before those as a place too.

use std::collections::HashMap;
use std::sync::OnceLock;

const PLACES: &[&str] = &[
    // Scopes: a national figure and a province's are different news.
    "全国",
    "全省",
    "全市",
    "全球",
    "全世界",
    // Provincial-level divisions.
    "北京",
    "天津",
    "上海",
    "重庆",
    "河北",
    "山西",
    "辽宁",
    "吉林",
    "黑龙江",
    "江苏",
    "浙江",
    "安徽",
    "福建",
    "江西",
    "山东",
    "河南",
    "湖北",
    "湖南",
    "广东",
    "海南",
    "四川",
    "贵州",
    "云南",
    "陕西",
    "甘肃",
    "青海",
    "台湾",
    "内蒙古",
    "广西",
    "西藏",
    "宁夏",
    "新疆",
    "香港",
    "澳门",
    // Cities.
    "广州",
    "深圳",
    "南京",
    "杭州",
    "武汉",
    "成都",
    "西安",
    "苏州",
    "郑州",
    "长沙",
    "沈阳",
    "青岛",
    "宁波",
    "东莞",
    "无锡",
    "厦门",
    "福州",
    "济南",
    "大连",
    "哈尔滨",
    "长春",
    "石家庄",
    "合肥",
    "南昌",
    "南宁",
    "昆明",
    "贵阳",
    "太原",
    "兰州",
    "海口",
    "三亚",
    "乌鲁木齐",
    "拉萨",
    "呼和浩特",
    "银川",
    "西宁",
    "珠海",
    "佛山",
    "温州",
    "扬州",
    "徐州",
    "常州",
    "南通",
    "烟台",
    "泉州",
    "惠州",
    "中山",
    "绍兴",
    "嘉兴",
    "金华",
    "台州",
    "洛阳",
    "唐山",
    "保定",
    "廊坊",
    "秦皇岛",
    "丹东",
    "喀什",
    "伊犁",
    "潍坊",
    "临沂",
    "淄博",
    "威海",
    "镇江",
    "盐城",
    "泰州",
    "芜湖",
    "湛江",
    "汕头",
    "江门",
    "柳州",
    "桂林",
    "遵义",
    "绵阳",
    "宜昌",
    "襄阳",
    "株洲",
    "岳阳",
    "赣州",
    "九江",
    "包头",
    "鄂尔多斯",
    "大同",
    "邯郸",
    "沧州",
    "义乌",
    "昆山",
    "吐鲁番",
    "满洲里",
    "瑞丽",
    "绥芬河",
    "二连浩特",
    // Countries and regions.
    "中国",
    "美国",
    "英国",
    "法国",
    "德国",
    "日本",
    "韩国",
    "朝鲜",
    "俄罗斯",
    "加拿大",
    "澳大利亚",
    "新西兰",
    "印度",
    "印尼",
    "印度尼西亚",
    "泰国",
    "越南",
    "新加坡",
    "马来西亚",
    "菲律宾",
    "缅甸",
    "柬埔寨",
    "老挝",
    "巴西",
    "阿根廷",
    "墨西哥",
    "智利",
    "秘鲁",
    "意大利",
    "西班牙",
    "葡萄牙",
    "荷兰",
    "比利时",
    "瑞士",
    "瑞典",
    "丹麦",
    "挪威",
    "芬兰",
    "波兰",
    "乌克兰",
    "土耳其",
    "希腊",
    "奥地利",
    "爱尔兰",
    "捷克",
    "匈牙利",
    "伊朗",
    "伊拉克",
    "以色列",
    "埃及",
    "南非",
    "尼日利亚",
    "肯尼亚",
    "埃塞俄比亚",
    "赞比亚",
    "摩洛哥",
    "阿联酋",
    "沙特",
    "卡塔尔",
    "巴基斯坦",
    "孟加拉",
    "斯里兰卡",
    "尼泊尔",
    "哈萨克斯坦",
    "塔吉克斯坦",
    "乌兹别克斯坦",
    "吉尔吉斯斯坦",
    "蒙古",
    "欧盟",
    "欧洲",
    "非洲",
    "亚洲",
    "拉美",
];

/// The places by first character, longest first, and a bit per first character of the
/// Basic Multilingual Plane, so that the common case (no place starts here) costs one
/// bit test rather than a hash lookup.
struct Table {
    first_chars: Box<[u64]>,
    names: HashMap<char, Vec<&'static str>>,
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut names: HashMap<char, Vec<&'static str>> = HashMap::new();
        let mut first_chars = vec![0u64; 0x10000 / 64].into_boxed_slice();
        for place in PLACES {
            if let Some(first) = place.chars().next() {
                names.entry(first).or_default().push(place);
                if let Some(word) = first_chars.get_mut(first as usize / 64) {
                    *word |= 1 << (first as usize % 64);
                }
            }
        }
        for list in names.values_mut() {
            list.sort_by_key(|name| std::cmp::Reverse(name.chars().count()));
        }
        Table { first_chars, names }
    })
}

/// The place names, looked up once per text.
pub(crate) struct Places(&'static Table);

impl Places {
    pub(crate) fn get() -> Self {
        Self(table())
    }

    /// The length in characters of the longest place name at the start of `chars`.
    pub(crate) fn at(&self, chars: &[char]) -> Option<usize> {
        place_at(self.0, chars)
    }
}

fn place_at(table: &Table, chars: &[char]) -> Option<usize> {
    let first = *chars.first()?;
    // Every name starts with an ideograph: the rest of the text is passed over at once.
    if first < '\u{4e00}' {
        return None;
    }
    let word = table.first_chars.get(first as usize / 64)?;
    if word >> (first as usize % 64) & 1 == 0 {
        return None;
    }
    table.names.get(&first)?.iter().find_map(|name| {
        let n = name.chars().count();
        let here = chars.get(..n)?;
        name.chars().eq(here.iter().copied()).then_some(n)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Option<usize> {
        Places::get().at(&text.chars().collect::<Vec<_>>())
    }

    #[test]
    fn longest_name_wins() {
        assert_eq!(at("印度尼西亚的"), Some(5));
        assert_eq!(at("印度的"), Some(2));
        assert_eq!(at("北京无新增"), Some(2));
        assert_eq!(at("无新增"), None);
        assert_eq!(at("北"), None);
        assert_eq!(at(""), None);
    }
}
