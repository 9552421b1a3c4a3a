"""ipner.places: a fact's place from its subject mention (SCHEMA.md, "Canonical fields"), and the
division table it reads (ipner/resources/divisions.tsv, generated from jionlp's data)."""
import importlib.util
import json
import re
import time
from dataclasses import astuple

import jsonschema
import pytest

from ipner.places import PLACE_LEVELS, Place, load_divisions, resolve_place
from ipner.resources import RESOURCES, default_corpus_path
from ipner.text.normalize import normalize_text

# (mention as written, label, the document's other place mentions, (name, code, level, province) or None)
CASES = [
    # prefecture-level cities, autonomous prefectures, 地区 and 盟: short and full Simplified forms
    ('株洲', 'CITY', (), ('株洲市', '430200', 'city', '湖南省')),
    ('株洲市', 'CITY', (), ('株洲市', '430200', 'city', '湖南省')),
    ('长沙', 'CITY', (), ('长沙市', '430100', 'city', '湖南省')),
    ('长沙市', 'CITY', (), ('长沙市', '430100', 'city', '湖南省')),
    ('湘潭', 'CITY', (), ('湘潭市', '430300', 'city', '湖南省')),
    ('杭州', 'CITY', (), ('杭州市', '330100', 'city', '浙江省')),
    ('宁波', 'CITY', (), ('宁波市', '330200', 'city', '浙江省')),
    ('深圳', 'CITY', (), ('深圳市', '440300', 'city', '广东省')),
    ('广州', 'CITY', (), ('广州市', '440100', 'city', '广东省')),
    ('东莞', 'CITY', (), ('东莞市', '441900', 'city', '广东省')),
    ('中山', 'CITY', (), ('中山市', '442000', 'city', '广东省')),
    ('苏州', 'CITY', (), ('苏州市', '320500', 'city', '江苏省')),
    ('无锡', 'CITY', (), ('无锡市', '320200', 'city', '江苏省')),
    ('南京', 'CITY', (), ('南京市', '320100', 'city', '江苏省')),
    ('武汉', 'CITY', (), ('武汉市', '420100', 'city', '湖北省')),
    ('成都', 'CITY', (), ('成都市', '510100', 'city', '四川省')),
    ('西安', 'CITY', (), ('西安市', '610100', 'city', '陕西省')),
    ('郑州', 'CITY', (), ('郑州市', '410100', 'city', '河南省')),
    ('合肥', 'CITY', (), ('合肥市', '340100', 'city', '安徽省')),
    ('福州', 'CITY', (), ('福州市', '350100', 'city', '福建省')),
    ('厦门', 'CITY', (), ('厦门市', '350200', 'city', '福建省')),
    ('济南', 'CITY', (), ('济南市', '370100', 'city', '山东省')),
    ('青岛', 'CITY', (), ('青岛市', '370200', 'city', '山东省')),
    ('沈阳', 'CITY', (), ('沈阳市', '210100', 'city', '辽宁省')),
    ('大连', 'CITY', (), ('大连市', '210200', 'city', '辽宁省')),
    ('哈尔滨', 'CITY', (), ('哈尔滨市', '230100', 'city', '黑龙江省')),
    ('长春', 'CITY', (), ('长春市', '220100', 'city', '吉林省')),
    ('吉林市', 'CITY', (), ('吉林市', '220200', 'city', '吉林省')),
    ('石家庄', 'CITY', (), ('石家庄市', '130100', 'city', '河北省')),
    ('太原', 'CITY', (), ('太原市', '140100', 'city', '山西省')),
    ('呼和浩特', 'CITY', (), ('呼和浩特市', '150100', 'city', '内蒙古自治区')),
    ('南宁', 'CITY', (), ('南宁市', '450100', 'city', '广西壮族自治区')),
    ('海口', 'CITY', (), ('海口市', '460100', 'city', '海南省')),
    ('三亚', 'CITY', (), ('三亚市', '460200', 'city', '海南省')),
    ('昆明', 'CITY', (), ('昆明市', '530100', 'city', '云南省')),
    ('贵阳', 'CITY', (), ('贵阳市', '520100', 'city', '贵州省')),
    ('拉萨', 'CITY', (), ('拉萨市', '540100', 'city', '西藏自治区')),
    ('兰州', 'CITY', (), ('兰州市', '620100', 'city', '甘肃省')),
    ('西宁', 'CITY', (), ('西宁市', '630100', 'city', '青海省')),
    ('银川', 'CITY', (), ('银川市', '640100', 'city', '宁夏回族自治区')),
    ('乌鲁木齐', 'CITY', (), ('乌鲁木齐市', '650100', 'city', '新疆维吾尔自治区')),
    ('景德镇', 'CITY', (), ('景德镇市', '360200', 'city', '江西省')),
    ('红河州', 'CITY', (), ('红河哈尼族彝族自治州', '532500', 'city', '云南省')),
    ('大理州', 'CITY', (), ('大理白族自治州', '532900', 'city', '云南省')),
    ('黔东南州', 'CITY', (), ('黔东南苗族侗族自治州', '522600', 'city', '贵州省')),
    ('延边州', 'CITY', (), ('延边朝鲜族自治州', '222400', 'city', '吉林省')),
    ('海西州', 'CITY', (), ('海西蒙古族藏族自治州', '632800', 'city', '青海省')),
    ('恩施州', 'CITY', (), ('恩施土家族苗族自治州', '422800', 'city', '湖北省')),
    ('湘西州', 'CITY', (), ('湘西土家族苗族自治州', '433100', 'city', '湖南省')),
    ('巴州', 'CITY', (), ('巴音郭楞蒙古自治州', '652800', 'city', '新疆维吾尔自治区')),
    ('克州', 'CITY', (), ('克孜勒苏柯尔克孜自治州', '653000', 'city', '新疆维吾尔自治区')),
    ('阿克苏地区', 'CITY', (), ('阿克苏地区', '652900', 'city', '新疆维吾尔自治区')),
    ('阿克苏', 'CITY', (), ('阿克苏地区', '652900', 'city', '新疆维吾尔自治区')),
    ('锡林郭勒盟', 'CITY', (), ('锡林郭勒盟', '152500', 'city', '内蒙古自治区')),
    ('兴安盟', 'CITY', (), ('兴安盟', '152200', 'city', '内蒙古自治区')),
    # a short form several divisions share names the city when it is the highest-ranking one (not 和田市, 吉安县, 红河县, 长沙县)
    ('和田', 'CITY', (), ('和田地区', '653200', 'city', '新疆维吾尔自治区')),
    ('吉安', 'CITY', (), ('吉安市', '360800', 'city', '江西省')),
    ('红河', 'CITY', (), ('红河哈尼族彝族自治州', '532500', 'city', '云南省')),
    # Traditional script
    ('東莞', 'CITY', (), ('东莞市', '441900', 'city', '广东省')),
    ('長沙', 'CITY', (), ('长沙市', '430100', 'city', '湖南省')),
    ('廣州市', 'CITY', (), ('广州市', '440100', 'city', '广东省')),
    ('瀋陽市', 'CITY', (), ('沈阳市', '210100', 'city', '辽宁省')),
    ('宿遷', 'CITY', (), ('宿迁市', '321300', 'city', '江苏省')),
    ('紹興', 'CITY', (), ('绍兴市', '330600', 'city', '浙江省')),
    ('欽州', 'CITY', (), ('钦州市', '450700', 'city', '广西壮族自治区')),
    ('新鄉市', 'CITY', (), ('新乡市', '410700', 'city', '河南省')),
    ('呼倫貝爾', 'CITY', (), ('呼伦贝尔市', '150700', 'city', '内蒙古自治区')),
    ('秦皇島', 'CITY', (), ('秦皇岛市', '130300', 'city', '河北省')),
    ('寧波市', 'CITY', (), ('宁波市', '330200', 'city', '浙江省')),
    ('濟南市', 'CITY', (), ('济南市', '370100', 'city', '山东省')),
    ('張家口', 'CITY', (), ('张家口市', '130700', 'city', '河北省')),
    ('黃石', 'CITY', (), ('黄石市', '420200', 'city', '湖北省')),
    ('廈門', 'CITY', (), ('厦门市', '350200', 'city', '福建省')),
    ('貴陽', 'CITY', (), ('贵阳市', '520100', 'city', '贵州省')),
    ('崑山', 'CITY', (), ('昆山市', '320583', 'county', '江苏省')),
    ('樂清', 'CITY', (), ('乐清市', '330382', 'county', '浙江省')),
    ('義烏', 'CITY', (), ('义乌市', '330782', 'county', '浙江省')),
    ('諸暨市', 'CITY', (), ('诸暨市', '330681', 'county', '浙江省')),
    ('蘇州', 'CITY', (), ('苏州市', '320500', 'city', '江苏省')),
    ('溫州', 'CITY', (), ('温州市', '330300', 'city', '浙江省')),
    ('鄭州', 'CITY', (), ('郑州市', '410100', 'city', '河南省')),
    ('齊齊哈爾', 'CITY', (), ('齐齐哈尔市', '230200', 'city', '黑龙江省')),
    ('烏魯木齊', 'CITY', (), ('乌鲁木齐市', '650100', 'city', '新疆维吾尔自治区')),
    ('銀川市', 'CITY', (), ('银川市', '640100', 'city', '宁夏回族自治区')),
    ('蘭州市', 'CITY', (), ('兰州市', '620100', 'city', '甘肃省')),
    ('瀘州市', 'CITY', (), ('泸州市', '510500', 'city', '四川省')),
    ('畢節市', 'CITY', (), ('毕节市', '520500', 'city', '贵州省')),
    ('銅仁市', 'CITY', (), ('铜仁市', '520600', 'city', '贵州省')),
    ('黔東南州', 'CITY', (), ('黔东南苗族侗族自治州', '522600', 'city', '贵州省')),
    ('延邊朝鮮族自治州', 'CITY', (), ('延边朝鲜族自治州', '222400', 'city', '吉林省')),
    ('伊犁哈薩克自治州', 'CITY', (), ('伊犁哈萨克自治州', '654000', 'city', '新疆维吾尔自治区')),
    # Taiwan: GB/T 2260 codes only the province
    ('臺北市', 'CITY', (), ('台北市', None, 'city', '台湾省')),
    ('臺中市', 'CITY', (), ('台中市', None, 'city', '台湾省')),
    ('高雄市', 'CITY', (), ('高雄市', None, 'city', '台湾省')),
    ('新竹市', 'CITY', (), ('新竹市', None, 'county', '台湾省')),
    # width, spaces and quotes
    ('株洲市', 'CITY', (), ('株洲市', '430200', 'city', '湖南省')),
    ('＂株洲＂', 'CITY', (), ('株洲市', '430200', 'city', '湖南省')),
    ('《长沙》', 'CITY', (), ('长沙市', '430100', 'city', '湖南省')),
    ('\u3000株洲市\u3000', 'CITY', (), ('株洲市', '430200', 'city', '湖南省')),
    ('株 洲', 'CITY', (), ('株洲市', '430200', 'city', '湖南省')),
    # provinces and autonomous regions
    ('湖南', 'REGION', (), ('湖南省', '430000', 'province', None)),
    ('湖南省', 'REGION', (), ('湖南省', '430000', 'province', None)),
    ('广东', 'REGION', (), ('广东省', '440000', 'province', None)),
    ('广东省', 'REGION', (), ('广东省', '440000', 'province', None)),
    ('内蒙古', 'REGION', (), ('内蒙古自治区', '150000', 'province', None)),
    ('內蒙古自治區', 'REGION', (), ('内蒙古自治区', '150000', 'province', None)),
    ('广西', 'REGION', (), ('广西壮族自治区', '450000', 'province', None)),
    ('廣西', 'REGION', (), ('广西壮族自治区', '450000', 'province', None)),
    ('新疆', 'REGION', (), ('新疆维吾尔自治区', '650000', 'province', None)),
    ('新疆維吾爾自治區', 'REGION', (), ('新疆维吾尔自治区', '650000', 'province', None)),
    ('西藏', 'REGION', (), ('西藏自治区', '540000', 'province', None)),
    ('西藏自治區', 'REGION', (), ('西藏自治区', '540000', 'province', None)),
    ('宁夏', 'REGION', (), ('宁夏回族自治区', '640000', 'province', None)),
    ('寧夏', 'REGION', (), ('宁夏回族自治区', '640000', 'province', None)),
    ('黑龙江', 'REGION', (), ('黑龙江省', '230000', 'province', None)),
    ('黑龍江省', 'REGION', (), ('黑龙江省', '230000', 'province', None)),
    ('貴州', 'REGION', (), ('贵州省', '520000', 'province', None)),
    ('台湾', 'REGION', (), ('台湾省', '710000', 'province', None)),
    ('臺灣', 'REGION', (), ('台湾省', '710000', 'province', None)),
    ('吉林', 'REGION', (), ('吉林省', '220000', 'province', None)),
    ('海南', 'REGION', (), ('海南省', '460000', 'province', None)),
    ('四川', 'REGION', (), ('四川省', '510000', 'province', None)),
    ('甘肅省', 'REGION', (), ('甘肃省', '620000', 'province', None)),
    # municipalities and SARs: provincial-level, although tagged CITY
    ('香港', 'CITY', (), ('香港特别行政区', '810000', 'province', None)),
    ('澳門', 'CITY', (), ('澳门特别行政区', '820000', 'province', None)),
    ('北京', 'CITY', (), ('北京市', '110000', 'province', None)),
    ('北京市', 'CITY', (), ('北京市', '110000', 'province', None)),
    ('上海', 'CITY', (), ('上海市', '310000', 'province', None)),
    ('上海市', 'CITY', (), ('上海市', '310000', 'province', None)),
    ('天津', 'CITY', (), ('天津市', '120000', 'province', None)),
    ('重庆', 'CITY', (), ('重庆市', '500000', 'province', None)),
    ('重慶', 'CITY', (), ('重庆市', '500000', 'province', None)),
    # county-level cities, counties, 旗, 林区, 特区
    ('醴陵', 'CITY', (), ('醴陵市', '430281', 'county', '湖南省')),
    ('醴陵市', 'CITY', (), ('醴陵市', '430281', 'county', '湖南省')),
    ('攸县', 'CITY', (), ('攸县', '430223', 'county', '湖南省')),
    ('江阴', 'CITY', (), ('江阴市', '320281', 'county', '江苏省')),
    ('昆山', 'CITY', (), ('昆山市', '320583', 'county', '江苏省')),
    ('晋江', 'CITY', (), ('晋江市', '350582', 'county', '福建省')),
    ('晉江', 'CITY', (), ('晋江市', '350582', 'county', '福建省')),
    ('义乌', 'CITY', (), ('义乌市', '330782', 'county', '浙江省')),
    ('乐清', 'CITY', (), ('乐清市', '330382', 'county', '浙江省')),
    ('慈溪', 'CITY', (), ('慈溪市', '330282', 'county', '浙江省')),
    ('诸暨', 'CITY', (), ('诸暨市', '330681', 'county', '浙江省')),
    ('安吉', 'CITY', (), ('安吉县', '330523', 'county', '浙江省')),
    ('德清', 'CITY', (), ('德清县', '330521', 'county', '浙江省')),
    ('嘉善', 'CITY', (), ('嘉善县', '330421', 'county', '浙江省')),
    ('海宁', 'CITY', (), ('海宁市', '330481', 'county', '浙江省')),
    ('宽甸满族自治县', 'CITY', (), ('宽甸满族自治县', '210624', 'county', '辽宁省')),
    ('宽甸', 'CITY', (), ('宽甸满族自治县', '210624', 'county', '辽宁省')),
    ('察哈尔右翼前旗', 'CITY', (), ('察哈尔右翼前旗', '150926', 'county', '内蒙古自治区')),
    ('科爾沁左翼中旗', 'CITY', (), ('科尔沁左翼中旗', '150521', 'county', '内蒙古自治区')),
    ('敖汉旗', 'CITY', (), ('敖汉旗', '150430', 'county', '内蒙古自治区')),
    ('神农架林区', 'CITY', (), ('神农架林区', '429021', 'county', '湖北省')),
    ('神农架', 'CITY', (), ('神农架林区', '429021', 'county', '湖北省')),
    ('六枝特区', 'CITY', (), ('六枝特区', '520203', 'county', '贵州省')),
    ('六枝', 'CITY', (), ('六枝特区', '520203', 'county', '贵州省')),
    ('仙桃', 'CITY', (), ('仙桃市', '429004', 'county', '湖北省')),
    ('济源', 'CITY', (), ('济源市', '419001', 'county', '河南省')),
    ('石河子', 'CITY', (), ('石河子市', '659001', 'county', '新疆维吾尔自治区')),
    ('东方市', 'CITY', (), ('东方市', '469007', 'county', '海南省')),
    ('東方市', 'CITY', (), ('东方市', '469007', 'county', '海南省')),
    ('陵水黎族自治縣', 'CITY', (), ('陵水黎族自治县', '469028', 'county', '海南省')),
    ('长沙县', 'CITY', (), ('长沙县', '430121', 'county', '湖南省')),
    # 乾: OpenCC reads 乾安县 as 干安县
    ('乾安县', 'CITY', (), ('乾安县', '220723', 'county', '吉林省')),
    ('乾安縣', 'CITY', (), ('乾安县', '220723', 'county', '吉林省')),
    ('乾縣', 'CITY', (), ('乾县', '610424', 'county', '陕西省')),
    # districts
    ('滨江区', 'CITY', (), ('滨江区', '330108', 'district', '浙江省')),
    ('滨江', 'CITY', (), ('滨江区', '330108', 'district', '浙江省')),
    ('余杭', 'CITY', (), ('余杭区', '330110', 'district', '浙江省')),
    ('余杭区', 'CITY', (), ('余杭区', '330110', 'district', '浙江省')),
    ('萧山区', 'CITY', (), ('萧山区', '330109', 'district', '浙江省')),
    ('浦东新区', 'CITY', (), ('浦东新区', '310115', 'district', '上海市')),
    ('滨海新区', 'CITY', (), ('滨海新区', '120116', 'district', '天津市')),
    ('海淀區', 'CITY', (), ('海淀区', '110108', 'district', '北京市')),
    ('昌平區', 'CITY', (), ('昌平区', '110114', 'district', '北京市')),
    ('涪陵', 'CITY', (), ('涪陵区', '500102', 'district', '重庆市')),
    ('涪陵区', 'CITY', (), ('涪陵区', '500102', 'district', '重庆市')),
    ('渝北區', 'CITY', (), ('渝北区', '500112', 'district', '重庆市')),
    ('柯橋區', 'CITY', (), ('柯桥区', '330603', 'district', '浙江省')),
    ('黄岩区', 'CITY', (), ('黄岩区', '331003', 'district', '浙江省')),
    ('天元区', 'CITY', (), ('天元区', '430211', 'district', '湖南省')),
    ('芦淞区', 'CITY', (), ('芦淞区', '430203', 'district', '湖南省')),
    ('万柏林区', 'CITY', (), ('万柏林区', '140109', 'district', '山西省')),
    # names several divisions share, without context: no code
    ('朝阳区', 'CITY', (), ('朝阳区', None, 'district', None)),
    ('朝陽區', 'CITY', (), ('朝阳区', None, 'district', None)),
    ('鼓楼区', 'CITY', (), ('鼓楼区', None, 'district', None)),
    ('鼓樓區', 'CITY', (), ('鼓楼区', None, 'district', None)),
    ('城区', 'CITY', (), ('城区', None, 'district', None)),
    ('海城', 'CITY', (), ('海城', None, 'other', None)),
    ('长安区', 'CITY', (), ('长安区', None, 'district', None)),
    ('南山区', 'CITY', (), ('南山区', None, 'district', None)),
    ('普陀区', 'CITY', (), ('普陀区', None, 'district', None)),
    ('通州区', 'CITY', (), ('通州区', None, 'district', None)),
    ('宝山区', 'CITY', (), ('宝山区', None, 'district', None)),
    ('西湖区', 'CITY', (), ('西湖区', None, 'district', None)),
    # ... except a short form whose highest-ranking division is a city
    ('朝阳', 'CITY', (), ('朝阳市', '211300', 'city', '辽宁省')),
    # decided by the document's other places
    ('朝阳区', 'CITY', ('北京',), ('朝阳区', '110105', 'district', '北京市')),
    ('朝陽區', 'CITY', ('北京市',), ('朝阳区', '110105', 'district', '北京市')),
    ('朝阳区', 'CITY', ('长春市',), ('朝阳区', '220104', 'district', '吉林省')),
    ('朝阳区', 'CITY', ('吉林省',), ('朝阳区', '220104', 'district', '吉林省')),
    ('朝阳区', 'CITY', ('北京', '长春'), ('朝阳区', None, 'district', None)),
    ('朝阳区', 'CITY', ('北京市朝阳区人民法院',), ('朝阳区', '110105', 'district', '北京市')),
    ('朝阳区', 'CITY', ('日本', '北京'), ('朝阳区', '110105', 'district', '北京市')),
    ('朝阳', 'CITY', ('北京',), ('朝阳区', '110105', 'district', '北京市')),
    ('朝阳', 'CITY', ('辽宁',), ('朝阳市', '211300', 'city', '辽宁省')),
    ('鼓楼区', 'CITY', ('南京',), ('鼓楼区', '320106', 'district', '江苏省')),
    ('鼓楼区', 'CITY', ('福州市',), ('鼓楼区', '350102', 'district', '福建省')),
    ('鼓楼区', 'CITY', ('徐州',), ('鼓楼区', '320302', 'district', '江苏省')),
    ('鼓楼区', 'CITY', ('开封',), ('鼓楼区', '410204', 'district', '河南省')),
    ('鼓楼区', 'CITY', ('江苏',), ('鼓楼区', None, 'district', '江苏省')),
    ('鼓楼区', 'CITY', ('江苏', '徐州'), ('鼓楼区', '320302', 'district', '江苏省')),
    ('鼓樓區', 'CITY', ('福建省', '福州'), ('鼓楼区', '350102', 'district', '福建省')),
    ('鼓楼区', 'CITY', ('株洲硬质合金集团', '南京'), ('鼓楼区', '320106', 'district', '江苏省')),
    ('南山区', 'CITY', ('深圳',), ('南山区', '440305', 'district', '广东省')),
    ('南山', 'CITY', ('深圳市',), ('南山区', '440305', 'district', '广东省')),
    ('南山區', 'CITY', ('深圳',), ('南山区', '440305', 'district', '广东省')),
    ('南山区', 'CITY', ('鹤岗',), ('南山区', '230404', 'district', '黑龙江省')),
    ('普陀区', 'CITY', ('上海',), ('普陀区', '310107', 'district', '上海市')),
    ('普陀区', 'CITY', ('舟山',), ('普陀区', '330903', 'district', '浙江省')),
    ('通州区', 'CITY', ('北京',), ('通州区', '110112', 'district', '北京市')),
    ('通州区', 'CITY', ('南通',), ('通州区', '320612', 'district', '江苏省')),
    ('宝山区', 'CITY', ('上海',), ('宝山区', '310113', 'district', '上海市')),
    ('西湖区', 'CITY', ('杭州',), ('西湖区', '330106', 'district', '浙江省')),
    ('西湖区', 'CITY', ('南昌市',), ('西湖区', '360103', 'district', '江西省')),
    ('城区', 'CITY', ('晋城',), ('城区', '140502', 'district', '山西省')),
    ('长安区', 'CITY', ('西安',), ('长安区', '610116', 'district', '陕西省')),
    ('长安区', 'CITY', ('石家庄',), ('长安区', '130102', 'district', '河北省')),
    ('长安区', 'CITY', ('西安市中级人民法院',), ('长安区', '610116', 'district', '陕西省')),
    ('朝阳区人民法院', 'ORG', ('长春',), ('朝阳区', '220104', 'district', '吉林省')),
    # places written one after the other, and words that still mean the place
    ('湖南株洲', 'CITY', (), ('株洲市', '430200', 'city', '湖南省')),
    ('湖南省株洲市', 'CITY', (), ('株洲市', '430200', 'city', '湖南省')),
    ('株洲市天元区', 'CITY', (), ('天元区', '430211', 'district', '湖南省')),
    ('北京朝阳', 'CITY', (), ('朝阳区', '110105', 'district', '北京市')),
    ('北京市朝阳区', 'CITY', (), ('朝阳区', '110105', 'district', '北京市')),
    ('吉林长春', 'CITY', (), ('长春市', '220100', 'city', '吉林省')),
    ('广东深圳南山', 'CITY', (), ('南山区', '440305', 'district', '广东省')),
    ('浙江杭州余杭', 'CITY', (), ('余杭区', '330110', 'district', '浙江省')),
    ('株洲市区', 'CITY', (), ('株洲市', '430200', 'city', '湖南省')),
    ('长沙地区', 'CITY', (), ('长沙市', '430100', 'city', '湖南省')),
    ('株洲长沙', 'CITY', (), None),
    # public bodies hold the place their name starts with
    ('株洲市中级人民法院', 'ORG', (), ('株洲市', '430200', 'city', '湖南省')),
    ('株洲市知识产权保护中心', 'ORG', (), ('株洲市', '430200', 'city', '湖南省')),
    ('湖南省知识产权局', 'ORG', (), ('湖南省', '430000', 'province', None)),
    ('湖南省高级人民法院', 'ORG', (), ('湖南省', '430000', 'province', None)),
    ('株洲市市场监督管理局', 'ORG', (), ('株洲市', '430200', 'city', '湖南省')),
    ('长沙市人民政府', 'ORG', (), ('长沙市', '430100', 'city', '湖南省')),
    ('北京知识产权法院', 'ORG', (), ('北京市', '110000', 'province', None)),
    ('上海知識產權法院', 'ORG', (), ('上海市', '310000', 'province', None)),
    ('广州知识产权法院', 'ORG', (), ('广州市', '440100', 'city', '广东省')),
    ('深圳海关', 'ORG', (), ('深圳市', '440300', 'city', '广东省')),
    ('义乌海关', 'ORG', (), ('义乌市', '330782', 'county', '浙江省')),
    ('绥芬河海关', 'ORG', (), ('绥芬河市', '231081', 'county', '黑龙江省')),
    ('中国(西安)知识产权保护中心', 'ORG', (), ('西安市', '610100', 'city', '陕西省')),
    ('中國（南昌）知識產權保護中心', 'ORG', (), ('南昌市', '360100', 'city', '江西省')),
    ('中国（东莞）知识产权保护中心', 'ORG', (), ('东莞市', '441900', 'city', '广东省')),
    ('肇庆中院', 'ORG', (), ('肇庆市', '441200', 'city', '广东省')),
    ('端州区人民法院', 'ORG', (), ('端州区', '441202', 'district', '广东省')),
    ('海淀法院', 'ORG', (), ('海淀区', '110108', 'district', '北京市')),
    ('集宁区人民法院', 'ORG', (), ('集宁区', '150902', 'district', '内蒙古自治区')),
    ('乌兰察布市人民检察院', 'ORG', (), ('乌兰察布市', '150900', 'city', '内蒙古自治区')),
    ('北京市朝阳区人民法院', 'ORG', (), ('朝阳区', '110105', 'district', '北京市')),
    ('朝阳区人民法院', 'ORG', (), ('朝阳区', None, 'district', None)),
    ('株洲市天元区人民法院', 'ORG', (), ('天元区', '430211', 'district', '湖南省')),
    ('湖南省株洲市中级人民法院', 'ORG', (), ('株洲市', '430200', 'city', '湖南省')),
    ('醴陵市人民政府', 'ORG', (), ('醴陵市', '430281', 'county', '湖南省')),
    ('鄭州市中級人民法院', 'ORG', (), ('郑州市', '410100', 'city', '河南省')),
    ('安慶市市場監督管理局', 'ORG', (), ('安庆市', '340800', 'city', '安徽省')),
    ('拉薩海關', 'ORG', (), ('拉萨市', '540100', 'city', '西藏自治区')),
    ('盐城市知识产权纠纷人民调解委员会', 'ORG', (), ('盐城市', '320900', 'city', '江苏省')),
    ('运城市知识产权维权援助工作站', 'ORG', (), ('运城市', '140800', 'city', '山西省')),
    ('湖南省科技厅', 'ORG', (), ('湖南省', '430000', 'province', None)),
    ('株洲市发改委', 'ORG', (), ('株洲市', '430200', 'city', '湖南省')),
    ('株洲高新区管委会', 'ORG', (), ('株洲高新区', None, 'zone', '湖南省')),
    ('郑州高新区管委会', 'ORG', (), ('郑州高新技术产业开发区', '410172', 'zone', '河南省')),
    ('日本特许厅', 'ORG', (), ('日本', None, 'country', None)),
    ('美国专利商标局', 'ORG', (), ('美国', None, 'country', None)),
    ('欧洲专利局', 'ORG', (), ('欧洲', None, 'other', None)),
    ('海南自由贸易港知识产权法院', 'ORG', (), ('海南自由贸易港', None, 'zone', '海南省')),
    # companies, banks, universities, institutes, associations, media and bodies without a place: None
    ('株洲硬质合金集团', 'ORG', (), None),
    ('株硬集团', 'ORG', (), None),
    ('中车株洲电力机车研究所有限公司', 'ORG', (), None),
    ('中车株洲所', 'ORG', (), None),
    ('湖南工业大学', 'ORG', (), None),
    ('株洲日报', 'ORG', (), None),
    ('國家知識產權局', 'ORG', (), None),
    ('市知识产权局', 'ORG', (), None),
    ('知識產權法庭', 'ORG', (), None),
    ('兴业银行宁德分行', 'ORG', (), None),
    ('中国建设银行江西省分行', 'ORG', (), None),
    ('福建省林业科学研究院三明分院', 'ORG', (), None),
    ('华中科技大学', 'ORG', (), None),
    ('株洲市知识产权协会', 'ORG', (), None),
    ('中山路街道办事处', 'ORG', (), None),
    ('最高人民法院', 'ORG', (), None),
    ('海关总署', 'ORG', (), None),
    ('株洲市知识产权运营基金', 'ORG', (), None),
    ('株洲', 'ORG', (), None),
    # countries
    ('中国', 'REGION', (), ('中国', None, 'country', None)),
    ('中國', 'REGION', (), ('中国', None, 'country', None)),
    ('全国', 'REGION', (), ('中国', None, 'country', None)),
    ('我国', 'REGION', (), ('中国', None, 'country', None)),
    ('日本', 'REGION', (), ('日本', None, 'country', None)),
    ('韓國', 'REGION', (), ('韩国', None, 'country', None)),
    ('美國', 'REGION', (), ('美国', None, 'country', None)),
    ('德国', 'REGION', (), ('德国', None, 'country', None)),
    ('俄羅斯', 'REGION', (), ('俄罗斯', None, 'country', None)),
    ('蒙古國', 'REGION', (), ('蒙古', None, 'country', None)),
    ('新加坡', 'REGION', (), ('新加坡', None, 'country', None)),
    ('中华人民共和国', 'REGION', (), ('中国', None, 'country', None)),
    ('中国大陆', 'REGION', (), ('中国', None, 'country', None)),
    # groups of places
    ('长株潭', 'REGION', (), ('长株潭', None, 'other', None)),
    ('長株潭', 'REGION', (), ('长株潭', None, 'other', None)),
    ('长三角', 'REGION', (), ('长三角', None, 'other', None)),
    ('長三角', 'REGION', (), ('长三角', None, 'other', None)),
    ('京津冀', 'REGION', (), ('京津冀', None, 'other', None)),
    ('粤港澳大湾区', 'REGION', (), ('粤港澳大湾区', None, 'other', None)),
    ('粵港澳大灣區', 'REGION', (), ('粤港澳大湾区', None, 'other', None)),
    ('成渝地区双城经济圈', 'REGION', (), ('成渝地区双城经济圈', None, 'other', None)),
    ('中部六省', 'REGION', (), ('中部六省', None, 'other', None)),
    ('东北三省', 'REGION', (), ('东北三省', None, 'other', None)),
    ('長江中游城市群', 'REGION', (), ('长江中游城市群', None, 'other', None)),
    ('西部地区', 'REGION', (), ('西部地区', None, 'other', None)),
    ('港澳台', 'REGION', (), ('港澳台', None, 'other', None)),
    ('东盟', 'REGION', (), ('东盟', None, 'other', None)),
    ('欧盟', 'REGION', (), ('欧盟', None, 'other', None)),
    ('沿黄九省区', 'REGION', (), ('沿黄九省区', None, 'other', None)),
    ('珠三角', 'REGION', (), ('珠三角', None, 'other', None)),
    ('长株潭都市圈', 'REGION', (), ('长株潭都市圈', None, 'other', None)),
    ('关中平原城市群', 'REGION', (), ('关中平原城市群', None, 'other', None)),
    ('鄱阳湖城市群', 'REGION', (), ('鄱阳湖城市群', None, 'other', None)),
    ('苏南', 'REGION', (), ('苏南', None, 'other', None)),
    ('皖北', 'REGION', (), ('皖北', None, 'other', None)),
    # places abroad
    ('东京', 'CITY', (), ('东京', None, 'other', None)),
    ('慕尼黑', 'CITY', (), ('慕尼黑', None, 'other', None)),
    ('墨西哥城', 'CITY', (), ('墨西哥城', None, 'other', None)),
    ('首爾', 'CITY', (), ('首尔', None, 'other', None)),
    ('圣何塞', 'CITY', (), ('圣何塞', None, 'other', None)),
    ('纽约', 'CITY', (), ('纽约', None, 'other', None)),
    ('硅谷', 'CITY', (), ('硅谷', None, 'other', None)),
    # zones: the table's (with its statistical code) or one without a code
    ('株洲高新区', 'CITY', (), ('株洲高新区', None, 'zone', '湖南省')),
    ('株洲高新區', 'CITY', (), ('株洲高新区', None, 'zone', '湖南省')),
    ('郑州高新区', 'CITY', (), ('郑州高新技术产业开发区', '410172', 'zone', '河南省')),
    ('郑州高新技术产业开发区', 'CITY', (), ('郑州高新技术产业开发区', '410172', 'zone', '河南省')),
    ('郑州市高新区', 'CITY', (), ('郑州高新技术产业开发区', '410172', 'zone', '河南省')),
    ('苏州工业园区', 'CITY', (), ('苏州工业园区', '320571', 'zone', '江苏省')),
    ('蘇州工業園區', 'CITY', (), ('苏州工业园区', '320571', 'zone', '江苏省')),
    ('盐城经济技术开发区', 'CITY', (), ('盐城经济技术开发区', '320971', 'zone', '江苏省')),
    ('天府新区', 'CITY', (), ('天府新区', '510156', 'zone', '四川省')),
    ('成都高新区', 'CITY', (), ('成都高新技术产业开发区', '510102', 'zone', '四川省')),
    ('兰州新区', 'CITY', (), ('兰州新区', '620171', 'zone', '甘肃省')),
    ('平顶山高新区', 'CITY', (), ('平顶山高新技术产业开发区', None, 'zone', '河南省')),
    ('哈尔滨新区', 'CITY', (), ('哈尔滨新区', None, 'zone', '黑龙江省')),
    ('东湖高新区', 'CITY', (), ('东湖高新区', None, 'zone', None)),
    ('雄安新区', 'CITY', (), ('雄安新区', None, 'zone', None)),
    ('两江新区', 'CITY', (), ('两江新区', None, 'zone', None)),
    ('北京经济技术开发区', 'CITY', (), ('北京经济技术开发区', None, 'zone', '北京市')),
    ('湖南湘江新区', 'CITY', (), ('湖南湘江新区', None, 'zone', '湖南省')),
    ('自贸区长沙片区', 'CITY', (), ('自贸区长沙片区', None, 'zone', '湖南省')),
    ('中国(广西)自由贸易试验区钦州港片区', 'CITY', (), ('中国(广西)自由贸易试验区钦州港片区', None, 'zone', '广西壮族自治区')),
    ('横琴粤澳深度合作区', 'CITY', (), ('横琴粤澳深度合作区', None, 'zone', None)),
    ('张江科学城', 'CITY', (), ('张江科学城', None, 'zone', None)),
    # not a place
    ('', 'CITY', (), None),
    ('   ', 'CITY', (), None),
    ('知识产权', 'CITY', (), None),
    ('全省', 'CITY', (), None),
    ('本市', 'CITY', (), None),
    ('abc', 'CITY', (), None),
    ('古镇', 'CITY', (), None),
    ('光谷', 'CITY', (), None),
    ('高新区', 'CITY', (), None),
    ('发明专利', 'CITY', (), None),
    ('大陆', 'CITY', (), None),
    ('株洲长沙', 'CITY', (), None),
    ('鄱阳湖城市群', 'CITY', (), None),
    ('大陆', 'REGION', (), None),

]


@pytest.mark.parametrize("text, label, context, expected", CASES, ids=[f"{c[1]}:{c[0]}:{'/'.join(c[2])}" for c in CASES])
def test_resolve_place(text, label, context, expected):
    place = resolve_place(text, label, context)
    assert (None if place is None else astuple(place)) == expected


def test_there_are_at_least_200_cases_in_both_scripts():
    assert len(CASES) >= 200
    assert sum(normalize_text(text) != text for text, *_ in CASES) >= 50  # Traditional (or full-width)


def test_every_expected_code_is_the_data_file_s_code_for_that_name():
    by_code = {d.code: d for d in load_divisions() if d.code}
    for text, label, context, expected in CASES:
        if expected and expected[1]:
            division = by_code[expected[1]]
            assert (division.name, division.level, division.province) == (expected[0], expected[2], expected[3]), text


def test_places_py_types_no_codes():
    source = (RESOURCES.parent / "places.py").read_text(encoding="utf-8")
    assert not re.search(r"\d{6}", source)


def test_resolved_codes_come_from_the_data_file(monkeypatch):
    """Every code resolve_place returns is a code of divisions.tsv, and changing the file changes the code."""
    import ipner.places as places

    codes = {d.code for d in load_divisions() if d.code}
    for text, label, context, _ in CASES:
        place = resolve_place(text, label, context)
        assert place is None or place.code is None or place.code in codes
    fake = tuple(d._replace(code="999999") if d.name == "株洲市" else d for d in load_divisions())
    monkeypatch.setattr(places, "load_divisions", lambda: fake)
    places._index.cache_clear()
    places._resolve.cache_clear()
    try:
        assert resolve_place("株洲", "CITY").code == "999999"
    finally:
        monkeypatch.undo()
        places._index.cache_clear()
        places._resolve.cache_clear()
        places._named.cache_clear()
    assert resolve_place("株洲", "CITY").code == "430200"


def test_to_dict_is_the_fact_schema_s_place():
    schema = json.loads((RESOURCES / "schema" / "fact.schema.json").read_text(encoding="utf-8"))
    place_schema = schema["$defs"]["place"]
    assert place_schema["properties"]["level"]["enum"] == list(PLACE_LEVELS)
    validator = jsonschema.Draft202012Validator(place_schema)
    seen_levels = set()
    for text, label, context, _ in CASES:
        place = resolve_place(text, label, context)
        if place is not None:
            validator.validate(place.to_dict())
            seen_levels.add(place.level)
    assert seen_levels == set(PLACE_LEVELS)
    assert resolve_place("株洲", "CITY").to_dict() == {"name": "株洲市", "code": "430200", "level": "city", "province": "湖南省"}


def test_place_is_frozen_and_hashable():
    place = resolve_place("株洲", "CITY")
    with pytest.raises(AttributeError):
        place.name = "长沙市"  # type: ignore[misc]
    assert {place, Place("株洲市", "430200", "city", "湖南省")} == {place}


def test_context_is_any_iterable_and_its_order_does_not_matter():
    a = resolve_place("鼓楼区", "CITY", (t for t in ["江苏", "徐州"]))
    b = resolve_place("鼓楼区", "CITY", ["徐州", "江苏"])
    assert a == b and a.code == "320302"


def test_an_unknown_label_is_refused():
    with pytest.raises(ValueError, match="CITY, REGION, ORG"):
        resolve_place("株洲", "METRIC")


def test_the_division_table_is_consistent():
    divisions = load_divisions()
    codes = [d.code for d in divisions if d.code]
    assert len(codes) == len(set(codes))
    assert all(re.fullmatch(r"[0-9]{6}", code) for code in codes)
    assert {d.level for d in divisions} == set(PLACE_LEVELS)
    provinces = {d.name for d in divisions if d.level == "province"}
    assert len(provinces) == 34
    cities = {d.name for d in divisions if d.level == "city"} | provinces  # a municipality is its districts' city
    for d in divisions:
        assert d.province is None or d.province in provinces, d
        assert d.city is None or d.city in cities, d
        if d.code and d.level != "province":
            assert d.code.startswith(next(p.code[:2] for p in divisions if p.name == d.province)), d
        if d.level in ("country", "other"):
            assert d.code is None and d.province is None, d
        assert d.name not in d.short_forms
    header = (RESOURCES / "divisions.tsv").read_text(encoding="utf-8").split("\n# code", 1)[0]
    assert "jionlp" in header and "Apache License 2.0" in header


@pytest.mark.skipif(importlib.util.find_spec("jionlp") is None, reason="needs jionlp: pip install 'ipner[gazetteer]'")
def test_the_data_file_is_what_the_generator_writes():
    from ipner.resources.build_gazetteer import DIVISIONS_HEADER, build_divisions

    text = (RESOURCES / "divisions.tsv").read_text(encoding="utf-8")
    assert text.startswith(DIVISIONS_HEADER)
    rows = [line.split("\t") for line in text.splitlines() if not line.startswith("#")]
    assert rows == [list(row) for row in build_divisions()]


def _corpus_mentions():
    path = default_corpus_path()
    if path is None:
        pytest.skip("no gold corpus")
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        entities = record["entities"]
        context = [e["text"] for e in entities if e["label"] in ("CITY", "REGION", "ORG")]
        subjects = {r["child"] for r in record["relations"] if r["label"] == "subject"}
        for i, entity in enumerate(entities):
            if entity["label"] in ("CITY", "REGION", "ORG"):
                yield entity, i in subjects, context


def test_most_corpus_subjects_resolve_to_a_code():
    """Share of the corpus's CITY/REGION subject mentions that resolve to a code (89.9 % when written;
    the rest are countries, groups, places abroad, zones and Taiwan's cities, which have none)."""
    mentions = [(e, ctx) for e, subject, ctx in _corpus_mentions() if subject and e["label"] != "ORG"]
    places = [resolve_place(e["text"], e["label"], ctx) for e, ctx in mentions]
    assert len(mentions) > 500
    assert sum(p is not None for p in places) / len(places) >= 0.98
    assert sum(p is not None and p.code is not None for p in places) / len(places) >= 0.85


def test_resolving_is_fast():
    mentions = [(e["text"], e["label"], tuple(ctx)) for e, _, ctx in _corpus_mentions()]
    import ipner.places as places

    resolve_place("株洲", "CITY")  # load the table
    places._resolve.cache_clear()
    places._named.cache_clear()
    start = time.perf_counter()
    for text, label, context in mentions:
        resolve_place(text, label, context)
    uncached = (time.perf_counter() - start) / len(mentions)
    start = time.perf_counter()
    for text, label, context in mentions:
        resolve_place(text, label, context)
    cached = (time.perf_counter() - start) / len(mentions)
    assert uncached < 2e-3 and cached < 1e-4, (uncached, cached)
